package io.gregor.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.fetch.FetchHandler;
import io.gregor.broker.metrics.PartitionMeters;
import io.gregor.broker.purgatory.Purgatory;
import io.gregor.broker.replication.ReplicaFetcherManager;
import io.gregor.broker.replication.ReplicationConfig;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.RemoveTopicRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.storage.log.LogManager;
import io.gregor.storage.log.LogManagerConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica manager applies committed metadata after the controller has answered: until it has
 * applied a change, the partitions that change brings here are refused with the retriable error
 * Kafka gives in that state, and those it leads are pending, for produce, list-offsets and
 * fetch requests to wait for.
 */
class ReplicaManagerTest {
    private static final int NODE = 1;
    private static final int OTHER_NODE = 2;
    private static final ReplicationConfig CONFIG = new ReplicationConfig(30_000, 500, 1, 10 * 1024 * 1024,
            1024 * 1024, 50, 60_000);

    @TempDir
    Path dir;
    private LogManager logManager;
    private Purgatory<TopicPartition> fetchPurgatory;
    private Purgatory<TopicPartition> producePurgatory;
    private ReplicaManager replicaManager;
    private MetadataImage image = MetadataImage.empty("test");

    @BeforeEach
    void start() {
        logManager = new LogManager(LogManagerConfig.defaults(List.of(dir)), Clock.systemUTC());
        logManager.startup();
        fetchPurgatory = new Purgatory<>("fetch");
        producePurgatory = new Purgatory<>("produce");
        PartitionEnvironment env = new PartitionEnvironment(NODE, fetchPurgatory, producePurgatory,
                change -> CompletableFuture.failedFuture(new ApiException(Errors.NOT_CONTROLLER, "none")),
                replica -> true, Clock.systemUTC(), new PartitionMeters(new MetricRegistry()));
        ReplicaFetcherManager fetchers = new ReplicaFetcherManager(NODE, CONFIG, leader -> {
            throw new IllegalStateException("nothing is followed here");
        }, Clock.systemUTC());
        replicaManager = new ReplicaManager(logManager, env, fetchers, CONFIG, image, unused -> Map.of());
        replicaManager.loadImage(image);
    }

    @AfterEach
    void stop() {
        replicaManager.close();
        fetchPurgatory.close();
        producePurgatory.close();
        logManager.shutdown();
    }

    @Test
    void aPartitionCommittedButNotYetAppliedIsPendingUntilApplied() throws Exception {
        // Hold the applier inside the first change, so that the second one is committed but not applied.
        CountDownLatch release = holdApplierInside("first");
        commit(topic("second", 3, NODE, OTHER_NODE, NODE));

        TopicPartition led = new TopicPartition("second", 0);
        assertThat(replicaManager.partition("second", 0)).isEmpty();
        assertThat(replicaManager.notHostedError(led)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThatThrownBy(() -> replicaManager.leaderPartition("second", 0, 0))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER));
        assertThat(replicaManager.applyingChanges()).isTrue();
        assertThat(replicaManager.leadershipPending("second", 0)).isTrue();
        // Led by another broker, or unknown: nothing for a request to wait for here.
        assertThat(replicaManager.leadershipPending("second", 1)).isFalse();
        assertThat(replicaManager.leadershipPending("second", 7)).isFalse();
        assertThat(replicaManager.notHostedError(new TopicPartition("second", 7)))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        CompletableFuture<Void> applied = replicaManager.awaitApplied();
        assertThat(applied).isNotDone();

        release.countDown();
        applied.get(10, TimeUnit.SECONDS);

        assertThat(replicaManager.leaderPartition("second", 0, 0).isLeader()).isTrue();
        assertThat(replicaManager.leaderPartition("second", 2, 0).isLeader()).isTrue();
        assertThat(replicaManager.leadershipPending("second", 0)).isFalse();
        assertThat(replicaManager.applyingChanges()).isFalse();
        assertThat(replicaManager.awaitApplied()).isDone();
    }

    @Test
    void aFetchForAPartitionBeingSetUpHereWaitsForItInsteadOfBeingRefused() throws Exception {
        CountDownLatch release = holdApplierInside("first");
        commit(topic("second", 1, NODE));
        FetchHandler fetches = new FetchHandler(replicaManager, fetchPurgatory, Runnable::run);
        // a consumer that assigned itself the new partition and sought to offset 0: no list-offsets first
        FetchRequest request = new FetchRequest().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                .setMaxBytes(1 << 20).setTopics(List.of(new FetchRequest.FetchTopic().setTopic("second")
                        .setPartitions(List.of(new FetchRequest.FetchPartition().setPartition(0).setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20)))));
        RequestContext context = new RequestContext(ApiKey.FETCH.id(), (short) 12, 1, "consumer", "conn-1",
                InetAddress.getLoopbackAddress(), "PLAINTEXT");

        CompletableFuture<FetchResponse> response = fetches.handle(context, request);
        assertThat(response).as("waits while the partition is being set up").isNotDone();
        release.countDown();

        FetchResponse.PartitionData answer = response.get(10, TimeUnit.SECONDS).responses().get(0).partitions().get(0);
        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
        assertThat(answer.highWatermark()).isZero();
    }

    @Test
    void changesAreAppliedInCommitOrderSoATopicDeletedBeforeItsCreationWasAppliedLeavesNoLog() throws Exception {
        CountDownLatch release = holdApplierInside("first");
        List<MetadataRecord> created = topic("short-lived", 2, NODE, NODE);
        commit(created);
        commit(List.of(new RemoveTopicRecord(((TopicRecord) created.get(0)).topicId())));
        release.countDown();
        replicaManager.awaitApplied().get(10, TimeUnit.SECONDS);

        assertThat(replicaManager.partition("short-lived", 0)).isEmpty();
        assertThat(logManager.allLogs()).extracting(log -> log.topicPartition().topic()).containsOnly("first");
    }

    /**
     * Commits a one-partition topic led here and holds the applier inside that change (in its
     * leadership listener) until the returned latch is released, so that the changes committed
     * after it are committed but not applied.
     */
    private CountDownLatch holdApplierInside(String topicName) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        replicaManager.addLeadershipListener(new LeadershipListener() {
            @Override
            public void onBecomeLeader(Partition partition) {
                if (partition.topicPartition().topic().equals(topicName)) {
                    held.countDown();
                    await(release);
                }
            }

            @Override
            public void onResignLeader(TopicPartition topicPartition) {
            }
        });
        commit(topic(topicName, 1, NODE));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A topic whose partition {@code i} is led by {@code leaders[i]}, its only replica. */
    private static List<MetadataRecord> topic(String name, int partitions, int... leaders) {
        UUID id = UUID.randomUUID();
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new TopicRecord(name, id));
        for (int i = 0; i < partitions; i++) {
            records.add(new PartitionRecord(id, i, List.of(leaders[i]), List.of(leaders[i]), leaders[i], 0, 0));
        }
        return records;
    }

    /** What the controller does with a committed batch: a new image, handed to the publisher. */
    private void commit(List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(image);
        records.forEach(delta::replay);
        image = delta.apply();
        replicaManager.onMetadataUpdate(delta, image);
    }
}
