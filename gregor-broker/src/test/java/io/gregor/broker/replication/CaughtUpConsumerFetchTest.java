package io.gregor.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.fetch.FetchHandler;
import io.gregor.broker.partition.Partition;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which consumer fetches go to the I/O threads: those that read segments older than the one being
 * written, which may have to wait for the disk. A fetch of the tail is read by the thread that
 * received it; a consumer that has read everything is parked by that thread, and answered by the
 * append that brings it data.
 */
class CaughtUpConsumerFetchTest {
    private static final String TOPIC = "tail";
    private static final short ACKS_LEADER = 1;
    private static final long TIMEOUT_MS = 30_000;
    private static final short FETCH_VERSION = 17;
    private static final ReplicationConfig CONFIG = new ReplicationConfig(60_000, 100, 1, 10 * 1024 * 1024,
            1024 * 1024, 50, 1_000);

    @TempDir
    Path dir;
    private InProcessCluster cluster;
    private Partition leader;
    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final AtomicInteger ioTasks = new AtomicInteger();
    private FetchHandler handler;

    @BeforeEach
    void start() {
        cluster = new InProcessCluster(dir, CONFIG, 1);
        cluster.createTopic(TOPIC, List.of(1), List.of(1), 1, Map.of());
        leader = cluster.node(1).partition(TOPIC);
        Executor counting = task -> {
            ioTasks.incrementAndGet();
            io.execute(task);
        };
        handler = cluster.node(1).fetchHandler(counting);
    }

    @AfterEach
    void close() {
        cluster.close();
        io.shutdownNow();
    }

    @Test
    void aFetchOfTheSegmentBeingWrittenIsReadWithoutAnIoThread() throws Exception {
        leader.appendAsLeader(InProcessCluster.batch("a", "b"), ACKS_LEADER, TIMEOUT_MS).join();

        FetchResponse.PartitionData data = fetch(TOPIC, 0, 0).get(5, TimeUnit.SECONDS);

        assertThat(data.records().sizeInBytes()).isPositive();
        assertThat(ioTasks).hasValue(0);
    }

    @Test
    void aFetchOfAnOlderSegmentIsReadOnAnIoThread() throws Exception {
        // segments of at most 100 bytes: the second batch starts a new one
        cluster.createTopic("rolled", List.of(1), List.of(1), 1, Map.of("segment.bytes", "100"));
        Partition rolled = cluster.node(1).partition("rolled");
        rolled.appendAsLeader(InProcessCluster.batch("a", "b"), ACKS_LEADER, TIMEOUT_MS).join();
        rolled.appendAsLeader(InProcessCluster.batch("c", "d"), ACKS_LEADER, TIMEOUT_MS).join();
        assertThat(rolled.readsFromActiveSegment(0)).isFalse();

        FetchResponse.PartitionData data = fetch("rolled", 0, 0).get(5, TimeUnit.SECONDS);

        assertThat(data.records().sizeInBytes()).isPositive();
        assertThat(ioTasks).hasValue(1);
    }

    @Test
    void aCaughtUpConsumersFetchIsParkedWithoutAnIoThreadAndAnsweredByTheNextAppend() throws Exception {
        leader.appendAsLeader(InProcessCluster.batch("a"), ACKS_LEADER, TIMEOUT_MS).join();

        CompletableFuture<FetchResponse.PartitionData> parked = fetch(TOPIC, 1, 20_000);
        assertThat(parked).isNotDone();
        assertThat(ioTasks).hasValue(0);

        leader.appendAsLeader(InProcessCluster.batch("b"), ACKS_LEADER, TIMEOUT_MS).join();
        FetchResponse.PartitionData data = parked.get(5, TimeUnit.SECONDS);

        assertThat(data.highWatermark()).isEqualTo(2);
        assertThat(data.records().sizeInBytes()).isPositive();
        assertThat(ioTasks).hasValue(0);
    }

    @Test
    void aCaughtUpConsumerWithNothingToWaitForIsAnsweredAtOnceWithoutAnIoThread() throws Exception {
        leader.appendAsLeader(InProcessCluster.batch("a"), ACKS_LEADER, TIMEOUT_MS).join();

        FetchResponse.PartitionData data = fetch(TOPIC, 1, 0).get(5, TimeUnit.SECONDS);

        assertThat(data.highWatermark()).isEqualTo(1);
        assertThat(data.records().sizeInBytes()).isZero();
        assertThat(ioTasks).hasValue(0);
    }

    private CompletableFuture<FetchResponse.PartitionData> fetch(String topic, long offset, int maxWaitMs) {
        FetchRequest request = new FetchRequest().setMinBytes(1).setMaxWaitMs(maxWaitMs).setMaxBytes(1024 * 1024)
                .setTopics(List.of(new FetchRequest.FetchTopic().setTopic(topic).setPartitions(List.of(
                        new FetchRequest.FetchPartition().setPartition(0).setFetchOffset(offset)
                                .setPartitionMaxBytes(1024 * 1024)))));
        RequestContext context = new RequestContext(ApiKey.FETCH.id(), FETCH_VERSION, 1, "consumer", "test",
                InetAddress.getLoopbackAddress(), "PLAINTEXT");
        return handler.handle(context, request).thenApply(response -> response.responses().get(0).partitions().get(0));
    }
}
