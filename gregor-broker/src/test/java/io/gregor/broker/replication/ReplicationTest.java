package io.gregor.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.broker.partition.AppendOutcome;
import io.gregor.broker.partition.Partition;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.MemoryRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers' replica managers in one process, wired by their real fetch handlers: what a
 * follower copies, when acks=all is answered, how the ISR moves, and how a follower that
 * diverged from a new leader truncates.
 */
class ReplicationTest {
    private static final String TOPIC = "orders";
    private static final short ACKS_ALL = -1;
    private static final short ACKS_LEADER = 1;
    private static final long TIMEOUT_MS = 30_000;
    /** Short, so that ISR changes happen within a test; fetches wait less than that at the leader. */
    private static final ReplicationConfig CONFIG = new ReplicationConfig(1_500, 100, 1, 10 * 1024 * 1024,
            1024 * 1024, 50, 1_000);

    @TempDir
    Path dir;
    private InProcessCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private InProcessCluster threeNodes() {
        cluster = new InProcessCluster(dir, CONFIG, 1, 2, 3);
        return cluster;
    }

    @Test
    void followersCopyTheLeadersLogByteForByteAtTheSameOffsets() throws IOException {
        threeNodes().createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        Partition leader = cluster.node(1).partition(TOPIC);

        for (int i = 0; i < 20; i++) {
            leader.appendAsLeader(plainBatch("plain-" + i, "second-" + i), ACKS_LEADER, TIMEOUT_MS).join();
            leader.appendAsLeader(idempotentBatch(4242L, i, "idempotent-" + i), ACKS_LEADER, TIMEOUT_MS).join();
        }

        long end = leader.logEndOffset();
        assertThat(end).isEqualTo(60);
        for (int follower : List.of(2, 3)) {
            Partition copy = cluster.node(follower).partition(TOPIC);
            await().untilAsserted(() -> {
                assertThat(copy.logEndOffset()).isEqualTo(end);
                assertThat(copy.highWatermark()).isEqualTo(end);
            });
            assertThat(copy.isLeader()).isFalse();
            assertThat(segmentBytes(follower)).isEqualTo(segmentBytes(1));
            assertThat(copy.producerStates()).singleElement()
                    .satisfies(state -> assertThat(state.producerId()).isEqualTo(4242L));
            assertThat(copy.endOffsetForEpoch(0).endOffset()).isEqualTo(end);
        }
        assertThat(leader.highWatermark()).isEqualTo(end);
    }

    @Test
    void eachFollowerFetchesInOneIncrementalSessionWithTheLeaderAndANewOneAfterItsRestart() {
        threeNodes();
        for (String topic : List.of("first", "second", "third")) {
            cluster.createTopic(topic, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        }
        Partition second = cluster.node(1).partition("second");
        second.appendAsLeader(plainBatch("a", "b"), ACKS_ALL, TIMEOUT_MS).join();
        await().untilAsserted(() -> {
            assertThat(cluster.node(1).fetchSessionGauge("NumIncrementalFetchSessions")).isEqualTo(2);
            assertThat(cluster.node(1).fetchSessionGauge("NumIncrementalFetchPartitionsCached")).isEqualTo(6);
        });

        cluster.node(1).stop();
        cluster.node(1).start(); // same logs, same metadata: it leads again, without the sessions
        cluster.node(1).partition("third").appendAsLeader(plainBatch("c"), ACKS_ALL, TIMEOUT_MS).join();

        for (int follower : List.of(2, 3)) {
            assertThat(cluster.node(follower).partition("second").logEndOffset()).isEqualTo(2);
            await().untilAsserted(() -> assertThat(cluster.node(follower).partition("third").logEndOffset())
                    .isEqualTo(1));
        }
        await().untilAsserted(() -> assertThat(cluster.node(1).fetchSessionGauge("NumIncrementalFetchSessions"))
                .isEqualTo(2));
    }

    @Test
    void followersRetryWhileTheirLeaderIsDownAndCopyWhatItWritesAfterItsRestart() {
        threeNodes().createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        awaitInSync();

        cluster.node(1).stop();
        cluster.node(1).start(); // same logs, same metadata: it leads again, at the same epoch
        Partition leader = cluster.node(1).partition(TOPIC);
        assertThat(leader.isLeader()).isTrue();
        leader.appendAsLeader(plainBatch("after the restart"), ACKS_ALL, TIMEOUT_MS).join();

        for (int follower : List.of(2, 3)) {
            Partition copy = cluster.node(follower).partition(TOPIC);
            await().untilAsserted(() -> assertThat(copy.logEndOffset()).isEqualTo(2));
        }
        await().untilAsserted(() -> assertThat(cluster.partitionImage(TOPIC).isr()).containsExactlyInAnyOrder(1, 2, 3));
    }

    @Test
    void followersDropWhatDeleteRecordsRemovedOnTheLeader() {
        threeNodes().createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        Partition leader = cluster.node(1).partition(TOPIC);
        for (int i = 0; i < 10; i++) {
            leader.appendAsLeader(plainBatch("record-" + i), ACKS_ALL, TIMEOUT_MS).join();
        }

        assertThat(leader.deleteRecordsBefore(6)).isEqualTo(6);
        leader.appendAsLeader(plainBatch("after the deletion"), ACKS_ALL, TIMEOUT_MS).join();

        for (int follower : List.of(2, 3)) {
            Partition copy = cluster.node(follower).partition(TOPIC);
            await().untilAsserted(() -> assertThat(copy.logStartOffset()).isEqualTo(6));
            assertThat(copy.logEndOffset()).isEqualTo(11);
        }
    }

    @Test
    void acksAllIsAnsweredOnlyOnceEveryInSyncFollowerHasTheBatch() {
        threeNodes().createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        Partition leader = cluster.node(1).partition(TOPIC);
        awaitInSync();
        cluster.node(3).pause();

        CompletableFuture<AppendOutcome> acked = leader.appendAsLeader(plainBatch("durable"), ACKS_ALL, TIMEOUT_MS);

        await().untilAsserted(() -> assertThat(cluster.node(2).partition(TOPIC).logEndOffset()).isEqualTo(2));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(acked).isNotDone());
        assertThat(leader.highWatermark()).isEqualTo(1);
        assertThat(leader.read(1, 1024, true, -1, false, false).records().sizeInBytes())
                .as("consumers do not see it before the ISR has it").isZero();

        cluster.node(3).resume();
        AppendOutcome outcome = acked.join();
        assertThat(outcome.baseOffset()).isEqualTo(1);
        assertThat(cluster.node(3).partition(TOPIC).logEndOffset()).isEqualTo(2);
        assertThat(leader.highWatermark()).isEqualTo(2);
        assertThat(leader.read(1, 1024, true, -1, false, false).records().sizeInBytes()).isPositive();
    }

    @Test
    void acksAllIsRefusedBeforeTheAppendWhenTheIsrIsBelowMinInsyncReplicas() {
        threeNodes();
        cluster.node(2).pause(); // or their first fetches would bring them into the ISR at once
        cluster.node(3).pause();
        cluster.createTopic(TOPIC, List.of(1, 2, 3), List.of(1), 1, Map.of("min.insync.replicas", "2"));
        Partition leader = cluster.node(1).partition(TOPIC);

        assertThatThrownBy(() -> leader.appendAsLeader(plainBatch("refused"), ACKS_ALL, TIMEOUT_MS))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS));
        assertThat(leader.logEndOffset()).as("nothing written").isZero();
        assertThat(leader.appendAsLeader(plainBatch("acks=1 still works"), ACKS_LEADER, TIMEOUT_MS).join().baseOffset())
                .isZero();
    }

    @Test
    void acksAllCommittedByAnIsrThatShrankBelowMinInsyncIsNotEnoughReplicasAfterAppend() {
        threeNodes().createTopic(TOPIC, List.of(1, 2), List.of(1, 2), 1, Map.of("min.insync.replicas", "2"));
        Partition leader = cluster.node(1).partition(TOPIC);
        awaitInSync();
        cluster.node(2).pause();

        CompletableFuture<AppendOutcome> acked = leader.appendAsLeader(plainBatch("lonely"), ACKS_ALL, TIMEOUT_MS);

        assertThatThrownBy(acked::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND));
        assertThat(cluster.partitionImage(TOPIC).isr()).containsExactly(1);
    }

    @Test
    void acksAllTimesOutWhenTheIsrDoesNotCatchUpInTime() {
        threeNodes().createTopic(TOPIC, List.of(1, 2), List.of(1, 2), 1, Map.of());
        Partition leader = cluster.node(1).partition(TOPIC);
        awaitInSync();
        cluster.node(2).pause();

        CompletableFuture<AppendOutcome> acked = leader.appendAsLeader(plainBatch("slow"), ACKS_ALL, 200);

        assertThatThrownBy(acked::join).cause().isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.REQUEST_TIMED_OUT));
    }

    @Test
    void pausedFollowerLeavesTheIsrAndRejoinsOnceCaughtUp() {
        threeNodes().createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        Partition leader = cluster.node(1).partition(TOPIC);
        awaitInSync();

        cluster.node(3).pause();
        leader.appendAsLeader(plainBatch("while 3 sleeps"), ACKS_LEADER, TIMEOUT_MS).join();
        await().untilAsserted(() -> assertThat(cluster.partitionImage(TOPIC).isr()).containsExactly(1, 2));
        // The leader learns that the controller committed the shrink a moment after the image shows it.
        await().untilAsserted(() -> assertThat(leader.inSyncReplicas()).containsExactly(1, 2));
        assertThat(leader.appendAsLeader(plainBatch("acked without 3"), ACKS_ALL, TIMEOUT_MS).join().baseOffset())
                .isEqualTo(2);

        cluster.node(3).resume();
        await().untilAsserted(() -> assertThat(cluster.partitionImage(TOPIC).isr()).containsExactlyInAnyOrder(1, 2, 3));
        assertThat(cluster.node(3).partition(TOPIC).logEndOffset()).isEqualTo(3);
    }

    @Test
    void aFencedFollowerThatCaughtUpIsNotProposedForTheIsrUntilItIsUnfenced() {
        threeNodes().createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        Partition leader = cluster.node(1).partition(TOPIC);
        awaitInSync();
        cluster.node(3).pause();
        leader.appendAsLeader(plainBatch("while 3 sleeps"), ACKS_LEADER, TIMEOUT_MS).join();
        await().untilAsserted(() -> assertThat(leader.inSyncReplicas()).containsExactly(1, 2));

        cluster.fence(3);
        cluster.node(3).resume();
        await().untilAsserted(() -> assertThat(leader.logEndOffset()).isEqualTo(cluster.node(3).partition(TOPIC)
                .logEndOffset()));
        int asked = cluster.isrChangesAsked();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(cluster.isrChangesAsked()).as("ISR changes asked for").isEqualTo(asked));
        assertThat(cluster.partitionImage(TOPIC).isr()).containsExactly(1, 2);

        cluster.unfence(3);
        await().untilAsserted(() -> assertThat(cluster.partitionImage(TOPIC).isr()).containsExactlyInAnyOrder(1, 2, 3));
    }

    @Test
    void followerThatDivergedFromTheNewLeaderTruncatesItsUncommittedTail() throws IOException {
        threeNodes().createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        Partition oldLeader = cluster.node(1).partition(TOPIC);
        awaitInSync();
        for (int i = 0; i < 5; i++) {
            oldLeader.appendAsLeader(plainBatch("committed-" + i), ACKS_ALL, TIMEOUT_MS).join();
        }
        // 2 and 3 stop hearing from 1, which writes on alone: a tail no one else has.
        cluster.node(2).pause();
        cluster.node(3).pause();
        oldLeader.appendAsLeader(plainBatch("lost-1", "lost-2"), ACKS_LEADER, TIMEOUT_MS).join();
        oldLeader.appendAsLeader(plainBatch("lost-3"), ACKS_LEADER, TIMEOUT_MS).join();
        assertThat(oldLeader.logEndOffset()).isEqualTo(9);

        cluster.electLeader(TOPIC, 2, List.of(2, 3));
        cluster.node(2).resume();
        cluster.node(3).resume();
        Partition newLeader = cluster.node(2).partition(TOPIC);
        assertThat(newLeader.isLeader()).isTrue();
        assertThat(newLeader.leaderEpoch()).isEqualTo(1);
        newLeader.appendAsLeader(plainBatch("new-1", "new-2", "new-3", "new-4"), ACKS_ALL, TIMEOUT_MS).join();

        await().untilAsserted(() -> {
            assertThat(oldLeader.isLeader()).isFalse();
            assertThat(oldLeader.logEndOffset()).isEqualTo(10);
            assertThat(cluster.partitionImage(TOPIC).isr()).containsExactlyInAnyOrder(1, 2, 3);
        });
        assertThat(segmentBytes(1)).isEqualTo(segmentBytes(2)).isEqualTo(segmentBytes(3));
        assertThat(oldLeader.endOffsetForEpoch(0).endOffset()).as("epoch 0 ends where the new leader's did")
                .isEqualTo(6);
    }

    @Test
    void clientsOfAFollowerAreToldItIsNotTheLeader() {
        threeNodes().createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        Partition follower = cluster.node(2).partition(TOPIC);

        assertThatThrownBy(() -> follower.appendAsLeader(plainBatch("misdirected"), ACKS_LEADER, TIMEOUT_MS))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER));
        assertThat(follower.read(0, 1024, true, -1, false, false).error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        Partition leader = cluster.node(1).partition(TOPIC);
        assertThat(leader.read(0, 1024, true, 5, false, false).error()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);

        cluster.electLeader(TOPIC, 2, List.of(1, 2, 3));
        assertThat(leader.read(0, 1024, true, 0, false, false).error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(follower.onFollowerFetch(3, 0, 0)).as("a follower still at epoch 0")
                .isEqualTo(Errors.FENCED_LEADER_EPOCH);
    }

    @Test
    void aFollowerFetchingPastTheLeadersEndDoesNotMoveTheHighWatermark() {
        threeNodes();
        cluster.node(2).pause();
        cluster.node(3).pause();
        cluster.createTopic(TOPIC, List.of(1, 2, 3), List.of(1, 2, 3), 1, Map.of());
        Partition leader = cluster.node(1).partition(TOPIC);
        leader.appendAsLeader(plainBatch("only on the leader"), ACKS_LEADER, TIMEOUT_MS).join();

        assertThat(leader.onFollowerFetch(2, 5, 0)).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(leader.onFollowerFetch(3, 5, 0)).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(leader.highWatermark()).isZero();
    }

    /**
     * Writes one record at offset 0 with acks=all: once acknowledged, every follower has fetched,
     * so the leader knows where each one is.
     */
    private void awaitInSync() {
        Partition leader = cluster.node(1).partition(TOPIC);
        leader.appendAsLeader(plainBatch("warm-up"), ACKS_ALL, TIMEOUT_MS).join();
    }

    private byte[] segmentBytes(int node) throws IOException {
        return Files.readAllBytes(cluster.node(node).partitionDir(TOPIC).resolve("00000000000000000000.log"));
    }

    private static MemoryRecords plainBatch(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        }
        return new MemoryRecords(org.apache.kafka.common.record.MemoryRecords.withRecords(Compression.NONE, records)
                .buffer());
    }

    private static MemoryRecords idempotentBatch(long producerId, int sequence, String value) {
        return new MemoryRecords(org.apache.kafka.common.record.MemoryRecords.withIdempotentRecords(Compression.NONE,
                producerId, (short) 0, sequence, new SimpleRecord(value.getBytes(StandardCharsets.UTF_8))).buffer());
    }
}
