package io.gregor.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.broker.api.RequestContext;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReadOutcome;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.protocol.record.ControlRecordType;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.storage.txn.TxnMarker;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-392 on three in-process brokers (node n in rack rn): which replica a leader sends a
 * consumer to, what a follower serves consumers, and ListOffsets on a leader whose high
 * watermark lags its epoch's start.
 */
class FetchFromFollowerTest {
    private static final String TOPIC = "nearby";
    private static final short ACKS_ALL = -1;
    private static final short ACKS_LEADER = 1;
    private static final long TIMEOUT_MS = 30_000;
    private static final long LATEST = -1;
    private static final long EARLIEST = -2;
    /** A follower out of sync for 1.5 s leaves the ISR. */
    private static final ReplicationConfig QUICK_ISR = new ReplicationConfig(1_500, 100, 1, 10 * 1024 * 1024,
            1024 * 1024, 50, 1_000);
    /** No follower leaves the ISR within a test. */
    private static final ReplicationConfig STEADY_ISR = new ReplicationConfig(60_000, 100, 1, 10 * 1024 * 1024,
            1024 * 1024, 50, 1_000);
    /** Followers' fetches wait up to 20 s at the leader for new records. */
    private static final ReplicationConfig LONG_POLL = new ReplicationConfig(60_000, 20_000, 1, 10 * 1024 * 1024,
            1024 * 1024, 50, 1_000);
    private static final short FETCH_V10 = 10;
    private static final short FETCH_V17 = 17;
    private static final IntFunction<Optional<String>> RACKS = id -> Optional.of("r" + id);
    private static final ReplicaSelector RACK_AWARE = new RackAwareReplicaSelector();

    @TempDir
    Path dir;
    private InProcessCluster cluster;
    private Partition leader;

    private void start(ReplicationConfig config) {
        cluster = new InProcessCluster(dir, config, 1, 2, 3);
        cluster.createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        leader = cluster.node(1).partition(TOPIC);
    }

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theLeaderSendsAConsumerToTheInSyncFollowerInItsRack() {
        start(STEADY_ISR);
        leader.appendAsLeader(InProcessCluster.batch("a", "b"), ACKS_ALL, TIMEOUT_MS).join();

        assertThat(leader.preferredReadReplica(RACK_AWARE, "r2", 0, RACKS)).hasValue(2);
        assertThat(leader.preferredReadReplica(RACK_AWARE, "r3", 2, RACKS)).hasValue(3);
        assertThat(leader.preferredReadReplica(RACK_AWARE, "r1", 0, RACKS)).as("the leader's own rack").isEmpty();
        assertThat(leader.preferredReadReplica(RACK_AWARE, "", 0, RACKS)).as("no client.rack").isEmpty();
        assertThat(leader.preferredReadReplica(ReplicaSelector.LEADER, "r2", 0, RACKS)).isEmpty();
        assertThat(cluster.node(2).partition(TOPIC).preferredReadReplica(RACK_AWARE, "r3", 0, RACKS))
                .as("only the leader chooses").isEmpty();
    }

    @Test
    void aConsumersFetchIsAnsweredAtOnceWithTheReplicaInItsRackWhichThenServesIt() throws Exception {
        start(STEADY_ISR);
        cluster.registerBrokers(id -> "r" + id);
        leader.appendAsLeader(InProcessCluster.batch("a", "b"), ACKS_ALL, TIMEOUT_MS).join();
        Partition follower = cluster.node(2).partition(TOPIC);
        await().untilAsserted(() -> assertThat(follower.highWatermark()).isEqualTo(2));

        // Waits 20 s for a megabyte unless answered at once.
        FetchResponse.PartitionData atLeader = fetch(1, FETCH_V17, consumerFetch("r2", 1024 * 1024, 20_000));
        assertThat(atLeader.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(atLeader.preferredReadReplica()).isEqualTo(2);
        assertThat(atLeader.records().sizeInBytes()).isZero();
        assertThat(atLeader.highWatermark()).isEqualTo(2);

        FetchResponse.PartitionData atFollower = fetch(2, FETCH_V17, consumerFetch("r2", 1, 0));
        assertThat(atFollower.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(atFollower.preferredReadReplica()).isEqualTo(-1);
        assertThat(atFollower.records().sizeInBytes()).isPositive();
        assertThat(atFollower.highWatermark()).isEqualTo(2);

        FetchResponse.PartitionData oldClient = fetch(1, FETCH_V10, consumerFetch("", 1, 0));
        assertThat(oldClient.preferredReadReplica()).isEqualTo(-1);
        assertThat(oldClient.records().sizeInBytes()).isPositive();
        assertThat(fetch(2, FETCH_V10, consumerFetch("", 1, 0)).errorCode())
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
    }

    @Test
    void aFollowerOutOfTheIsrIsNeitherChosenNorServesConsumers() {
        start(QUICK_ISR);
        leader.appendAsLeader(InProcessCluster.batch("a"), ACKS_ALL, TIMEOUT_MS).join();
        cluster.node(3).pause();
        leader.appendAsLeader(InProcessCluster.batch("b"), ACKS_LEADER, TIMEOUT_MS).join();

        await().untilAsserted(() -> assertThat(cluster.partitionImage(TOPIC).isr()).containsExactly(1, 2));
        assertThat(leader.preferredReadReplica(RACK_AWARE, "r3", 0, RACKS)).isEmpty();
        Partition outOfSync = cluster.node(3).partition(TOPIC);
        await().untilAsserted(() -> assertThat(outOfSync.read(0, 1024, true, -1, false, true).error())
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER));

        cluster.node(3).resume();
        await().untilAsserted(() -> assertThat(leader.preferredReadReplica(RACK_AWARE, "r3", 0, RACKS)).hasValue(3));
    }

    @Test
    void aFollowerServesConsumersUpToTheHighWatermarkItLearnedFromTheLeader() {
        start(STEADY_ISR);
        leader.appendAsLeader(InProcessCluster.batch("a", "b", "c"), ACKS_ALL, TIMEOUT_MS).join();
        Partition follower = cluster.node(2).partition(TOPIC);
        await().untilAsserted(() -> assertThat(follower.highWatermark()).isEqualTo(3));

        ReadOutcome read = follower.read(0, 1024, true, 0, false, true);
        assertThat(read.error()).isEqualTo(Errors.NONE);
        assertThat(read.highWatermark()).isEqualTo(3);
        assertThat(read.records().sizeInBytes())
                .isEqualTo(leader.read(0, 1024, true, 0, false, false).records().sizeInBytes());
        assertThat(follower.read(0, 1024, true, -1, false, false).error())
                .as("a consumer whose Fetch version predates KIP-392").isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(follower.read(3, 1024, true, -1, false, true).records().sizeInBytes())
                .as("nothing new yet").isZero();
        assertThat(follower.read(9, 1024, true, -1, false, true).error())
                .as("past its log end: the consumer goes back to the leader").isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(follower.read(0, 1024, true, 1, false, true).error()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);

        cluster.electLeader(TOPIC, 3, List.of(1, 2, 3));
        await().untilAsserted(() -> assertThat(follower.read(0, 1024, true, 0, false, true).error())
                .as("a consumer that missed the new epoch").isEqualTo(Errors.FENCED_LEADER_EPOCH));
    }

    @Test
    void followersLearnANewHighWatermarkAtOnceNotWhenTheirFetchesWaitedOut() {
        start(LONG_POLL);
        leader.appendAsLeader(InProcessCluster.batch("warm-up"), ACKS_ALL, TIMEOUT_MS).join();

        leader.appendAsLeader(InProcessCluster.batch("a", "b"), ACKS_ALL, TIMEOUT_MS).join();

        assertThat(leader.highWatermark()).isEqualTo(3);
        for (int follower : List.of(2, 3)) {
            Partition copy = cluster.node(follower).partition(TOPIC);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(copy.highWatermark()).isEqualTo(3));
        }
    }

    @Test
    void readCommittedConsumersOfAFollowerReadUpToItsLastStableOffset() {
        start(STEADY_ISR);
        leader.appendAsLeader(InProcessCluster.batch("plain"), ACKS_ALL, TIMEOUT_MS).join(); // 0
        leader.appendAsLeader(transactional(7L, "in a transaction"), ACKS_ALL, TIMEOUT_MS).join(); // 1
        Partition follower = cluster.node(2).partition(TOPIC);
        await().untilAsserted(() -> assertThat(follower.highWatermark()).isEqualTo(2));

        ReadOutcome open = follower.read(0, 1024, true, -1, true, true);
        assertThat(open.lastStableOffset()).as("the open transaction's first offset").isEqualTo(1);
        assertThat(open.records().sizeInBytes())
                .isEqualTo(leader.read(0, 1024, true, -1, true, false).records().sizeInBytes());
        assertThat(follower.read(1, 1024, true, -1, true, true).records().sizeInBytes()).isZero();

        leader.appendAsCoordinator(new TxnMarker(ControlRecordType.COMMIT, 0).toBatch(7L, (short) 0, 0)).join(); // 2
        await().untilAsserted(() -> assertThat(follower.read(1, 1024, true, -1, true, true).lastStableOffset())
                .isEqualTo(3));
        ReadOutcome committed = follower.read(1, 1024, true, -1, true, true);
        assertThat(committed.records().sizeInBytes()).isPositive();
        assertThat(committed.abortedTransactions()).isEmpty();
    }

    @Test
    void aNewLeaderAnswersOffsetNotAvailableUntilItsHighWatermarkReachesItsEpochStart() {
        start(STEADY_ISR);
        leader.appendAsLeader(InProcessCluster.batch("committed"), ACKS_ALL, TIMEOUT_MS).join();
        cluster.node(3).pause();
        leader.appendAsLeader(InProcessCluster.batch("only on 1 and 2"), ACKS_LEADER, TIMEOUT_MS).join();
        Partition next = cluster.node(2).partition(TOPIC);
        await().untilAsserted(() -> assertThat(next.logEndOffset()).isEqualTo(2));

        cluster.electLeader(TOPIC, 2, List.of(2, 3));

        assertThat(next.highWatermark()).isEqualTo(1);
        assertThatThrownBy(() -> next.lookupOffset(LATEST, false)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.OFFSET_NOT_AVAILABLE));
        assertThat(next.lookupOffset(EARLIEST, false).offset()).isZero();

        cluster.node(3).resume();
        await().untilAsserted(() -> assertThat(next.lookupOffset(LATEST, false).offset()).isEqualTo(2));
    }

    private static FetchRequest consumerFetch(String rack, int minBytes, int maxWaitMs) {
        return new FetchRequest().setRackId(rack).setMinBytes(minBytes).setMaxWaitMs(maxWaitMs)
                .setTopics(List.of(new FetchRequest.FetchTopic().setTopic(TOPIC).setPartitions(List.of(
                        new FetchRequest.FetchPartition().setPartition(0).setFetchOffset(0)
                                .setPartitionMaxBytes(1024 * 1024)))));
    }

    private FetchResponse.PartitionData fetch(int node, short version, FetchRequest request) throws Exception {
        RequestContext context = new RequestContext(ApiKey.FETCH.id(), version, 1, "consumer", "test",
                InetAddress.getLoopbackAddress(), "PLAINTEXT");
        FetchResponse response = cluster.node(node).fetchHandler(RACK_AWARE).handle(context, request)
                .get(5, TimeUnit.SECONDS);
        return response.responses().get(0).partitions().get(0);
    }

    private static MemoryRecords transactional(long producerId, String value) {
        return new MemoryRecords(org.apache.kafka.common.record.MemoryRecords.withTransactionalRecords(
                Compression.NONE, producerId, (short) 0, 0, new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)))
                .buffer());
    }
}
