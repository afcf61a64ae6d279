package io.gregor.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InSyncReplicasTest {
    private static final int LEADER = 1;
    private static final long LAG_MAX_MS = 10_000;

    private final InSyncReplicas replicas = new InSyncReplicas(LEADER, List.of(1, 2, 3), List.of(1, 2, 3), 0, 1_000);

    @Test
    void highWatermarkIsTheLowestLogEndOffsetInTheIsr() {
        assertThat(replicas.highWatermark(100)).as("followers not heard from yet hold it back").isEqualTo(-1);

        replicas.onFollowerFetch(2, 80, 100, 2_000);
        replicas.onFollowerFetch(3, 60, 100, 2_000);
        assertThat(replicas.highWatermark(100)).isEqualTo(60);

        replicas.onFollowerFetch(3, 100, 100, 2_100);
        assertThat(replicas.highWatermark(100)).isEqualTo(80);
    }

    @Test
    void aHighWatermarkIsNewsToAFollowerUntilAnAnswerCarryingItIsSent() {
        assertThat(replicas.isHighWatermarkNewTo(2, 0)).as("nothing sent in this epoch yet").isTrue();

        replicas.highWatermarkSent(2, 40);
        assertThat(replicas.isHighWatermarkNewTo(2, 40)).isFalse();
        assertThat(replicas.isHighWatermarkNewTo(2, 41)).isTrue();
        assertThat(replicas.isHighWatermarkNewTo(3, 40)).as("each follower on its own").isTrue();

        replicas.highWatermarkSent(2, 30);
        assertThat(replicas.isHighWatermarkNewTo(2, 40)).as("an older answer sent late changes nothing").isFalse();
        assertThat(replicas.isHighWatermarkNewTo(7, 100)).as("not a replica").isFalse();
    }

    @Test
    void aSingleReplicaCommitsItsLogEndAtOnce() {
        InSyncReplicas alone = new InSyncReplicas(LEADER, List.of(1), List.of(1), 0, 0);

        assertThat(alone.highWatermark(42)).isEqualTo(42);
        assertThat(alone.shrinkage(1_000_000, LAG_MAX_MS, 42)).isEmpty();
    }

    @Test
    void followerNotCaughtUpForLongerThanTheLagLeavesTheIsr() {
        replicas.onFollowerFetch(2, 100, 100, 2_000); // caught up
        replicas.onFollowerFetch(3, 50, 100, 2_000);  // behind

        assertThat(replicas.shrinkage(1_000 + LAG_MAX_MS, LAG_MAX_MS, 100))
                .as("not yet: counted as caught up when this broker became leader").isEmpty();
        assertThat(replicas.shrinkage(1_001 + LAG_MAX_MS, LAG_MAX_MS, 100)).contains(List.of(1, 2));
    }

    @Test
    void followerKeepingUpWithEachPreviousFetchStaysInSyncUnderConstantWrites() {
        long now = 2_000;
        long leaderEnd = 100;
        for (int round = 0; round < 50; round++) {
            // Each fetch asks for what the leader had at the previous fetch; the leader has moved on.
            replicas.onFollowerFetch(2, leaderEnd, leaderEnd + 10, now);
            replicas.onFollowerFetch(3, leaderEnd, leaderEnd + 10, now);
            leaderEnd += 10;
            now += 1_000;
        }

        assertThat(replicas.shrinkage(now, LAG_MAX_MS, leaderEnd)).isEmpty();
    }

    @Test
    void followerOutsideTheIsrRejoinsOnlyOnceItHasTheHighWatermarkAndTheCurrentEpoch() {
        InSyncReplicas shrunk = new InSyncReplicas(LEADER, List.of(1, 2, 3), List.of(1, 2), 0, 1_000);
        shrunk.onFollowerFetch(2, 100, 100, 2_000);
        shrunk.onFollowerFetch(3, 70, 100, 2_000);

        assertThat(shrunk.expansionFor(3, 100, 0)).as("below the high watermark").isEmpty();

        shrunk.onFollowerFetch(3, 100, 100, 2_100);
        assertThat(shrunk.expansionFor(3, 100, 120)).as("missing the current epoch's start").isEmpty();
        assertThat(shrunk.expansionFor(3, 100, 90)).contains(List.of(1, 2, 3));
    }

    @Test
    void whileAChangeIsInFlightTheHighWatermarkCountsBothIsrsAndNoOtherChangeIsProposed() {
        replicas.onFollowerFetch(2, 100, 100, 2_000);
        replicas.onFollowerFetch(3, 40, 100, 2_000);
        replicas.propose(List.of(1, 2));

        assertThat(replicas.highWatermark(100)).as("3 still counts until the controller agrees").isEqualTo(40);
        assertThat(replicas.shrinkage(100_000, LAG_MAX_MS, 100)).isEmpty();
        assertThat(replicas.changeInFlight()).isTrue();

        replicas.committed(List.of(1, 2), 1);
        assertThat(replicas.highWatermark(100)).isEqualTo(100);
        assertThat(replicas.isr()).containsExactly(1, 2);
        assertThat(replicas.partitionEpoch()).isEqualTo(1);
        assertThat(replicas.changeInFlight()).isFalse();
    }

    @Test
    void aRefusedChangeLeavesTheCommittedIsrAndAnOlderCommittedStateIsIgnored() {
        replicas.propose(List.of(1, 2));
        replicas.proposalFailed();
        assertThat(replicas.maximalIsr()).containsExactly(1, 2, 3);

        replicas.committed(List.of(1, 2), 5);
        assertThat(replicas.committed(List.of(1, 2, 3), 4)).isFalse();
        assertThat(replicas.isr()).containsExactly(1, 2);
    }

    @Test
    void theSameCommittedStateAgainDoesNotEndAnExpansionInFlight() {
        InSyncReplicas shrunk = new InSyncReplicas(LEADER, List.of(1, 2, 3), List.of(1, 2), 4, 1_000);
        shrunk.onFollowerFetch(2, 100, 100, 2_000);
        shrunk.onFollowerFetch(3, 100, 100, 2_000);
        shrunk.propose(shrunk.expansionFor(3, 100, 0).orElseThrow());

        assertThat(shrunk.committed(List.of(1, 2), 4)).as("an update of another partition repeats it").isFalse();
        shrunk.onFollowerFetch(2, 150, 150, 2_100);
        assertThat(shrunk.highWatermark(150)).as("3 counts until the controller answers").isEqualTo(100);
        assertThat(shrunk.changeInFlight()).isTrue();
    }

    @Test
    void fetchesFromReplicasOfOtherPartitionsAreNotCounted() {
        assertThat(replicas.onFollowerFetch(9, 100, 100, 2_000)).isFalse();
        assertThat(replicas.onFollowerFetch(LEADER, 100, 100, 2_000)).isFalse();
    }

    @Test
    void aReassignedReplicaBecomesAFollowerThatCanJoinTheIsrAndARemovedOneIsForgotten() {
        assertThat(replicas.onFollowerFetch(4, 100, 100, 2_000)).as("not a replica yet").isFalse();

        replicas.committed(List.of(4, 2, 1, 3), List.of(1, 2, 3), 1);
        assertThat(replicas.onFollowerFetch(4, 100, 100, 2_000)).isTrue();
        assertThat(replicas.expansionFor(4, 100, 0)).contains(List.of(1, 2, 3, 4));

        replicas.committed(List.of(4, 2, 1), List.of(1, 2, 4), 2);
        assertThat(replicas.onFollowerFetch(3, 100, 100, 3_000)).as("no longer a replica").isFalse();
        assertThat(replicas.isr()).containsExactly(1, 2, 4);
    }
}
