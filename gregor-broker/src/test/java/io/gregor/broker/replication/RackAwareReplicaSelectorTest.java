package io.gregor.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RackAwareReplicaSelectorTest {
    private static final ReplicaSelector SELECTOR = new RackAwareReplicaSelector();
    private static final ReadReplica LEADER = replica(1, "r1", 100, 1_000);

    @Test
    void aConsumerInAFollowersRackReadsThatFollower() {
        ReadReplica r2 = replica(2, "r2", 100, 1_000);
        ReadReplica r3 = replica(3, "r3", 100, 1_000);

        assertThat(SELECTOR.select("r2", LEADER, List.of(r2, r3))).isEqualTo(r2);
        assertThat(SELECTOR.select("r3", LEADER, List.of(r2, r3))).isEqualTo(r3);
    }

    @Test
    void theLeaderServesConsumersInItsRackWithoutARackOrInARackWithoutReplicas() {
        ReadReplica alsoR1 = replica(2, "r1", 100, 2_000);
        ReadReplica r2 = replica(3, "r2", 100, 1_000);

        assertThat(SELECTOR.select("r1", LEADER, List.of(alsoR1, r2))).isEqualTo(LEADER);
        assertThat(SELECTOR.select("", LEADER, List.of(alsoR1, r2))).isEqualTo(LEADER);
        assertThat(SELECTOR.select(null, LEADER, List.of(alsoR1, r2))).isEqualTo(LEADER);
        assertThat(SELECTOR.select("r9", LEADER, List.of(alsoR1, r2))).isEqualTo(LEADER);
        assertThat(SELECTOR.select("r2", LEADER, List.of())).as("no follower may serve it").isEqualTo(LEADER);
    }

    @Test
    void ofFollowersInTheSameRackTheOneFurthestAheadThenTheOneCaughtUpLastIsChosen() {
        ReadReplica behind = replica(2, "r2", 90, 5_000);
        ReadReplica ahead = replica(3, "r2", 100, 1_000);
        ReadReplica aheadAndRecent = replica(4, "r2", 100, 2_000);

        assertThat(SELECTOR.select("r2", LEADER, List.of(behind, ahead))).isEqualTo(ahead);
        assertThat(SELECTOR.select("r2", LEADER, List.of(behind, ahead, aheadAndRecent))).isEqualTo(aheadAndRecent);
    }

    @Test
    void racksMatchExactlyAndBrokersWithoutARackNeverMatch() {
        ReadReplica upper = replica(2, "R2", 100, 1_000);
        ReadReplica none = new ReadReplica(3, Optional.empty(), 100, 1_000);

        assertThat(SELECTOR.select("r2", LEADER, List.of(upper, none))).isEqualTo(LEADER);
    }

    @Test
    void kafkasClassNamesMapToGregorsSelectors() {
        assertThat(ReplicaSelector.named(Optional.empty())).isSameAs(ReplicaSelector.LEADER);
        assertThat(ReplicaSelector.named(Optional.of("org.apache.kafka.common.replica.LeaderSelector")))
                .isSameAs(ReplicaSelector.LEADER);
        assertThat(ReplicaSelector.named(Optional.of("org.apache.kafka.common.replica.RackAwareReplicaSelector")))
                .isInstanceOf(RackAwareReplicaSelector.class);
        assertThatThrownBy(() -> ReplicaSelector.named(Optional.of("com.example.MySelector")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("com.example.MySelector");
    }

    private static ReadReplica replica(int id, String rack, long logEndOffset, long lastCaughtUpMs) {
        return new ReadReplica(id, Optional.of(rack), logEndOffset, lastCaughtUpMs);
    }
}
