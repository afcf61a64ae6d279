package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterControlTest {
    private static final UUID TOPIC = new UUID(1, 2);

    @Test
    void fencingALeaderElectsTheNextInSyncReplicaWithANewLeaderEpochAndShrinksTheIsr() {
        MetadataImage image = apply(threeBrokers(), ClusterControl.fence(threeBrokers(), 1, false));

        PartitionImage p0 = partition(image, 0);
        assertThat(p0.leader()).isEqualTo(2);
        assertThat(p0.leaderEpoch()).isEqualTo(1);
        assertThat(p0.isr()).containsExactly(2, 3);
        PartitionImage p1 = partition(image, 1);
        assertThat(p1.leader()).isEqualTo(2); // led by 2 already: only the ISR changes
        assertThat(p1.leaderEpoch()).isZero();
        assertThat(p1.isr()).containsExactly(2, 3);
        assertThat(image.broker(1).orElseThrow().fenced()).isTrue();
        assertThat(image.unfencedBrokers().keySet()).containsExactly(2, 3);
    }

    @Test
    void theLastInSyncReplicaFencedLeavesThePartitionLeaderlessUntilItIsUnfenced() {
        MetadataImage image = threeBrokers();
        image = apply(image, ClusterControl.fence(image, 2, false));
        image = apply(image, ClusterControl.fence(image, 3, false));
        image = apply(image, ClusterControl.fence(image, 1, false));
        assertThat(partition(image, 0).leader()).isEqualTo(PartitionImage.NO_LEADER);
        assertThat(partition(image, 0).isr()).containsExactly(1);

        image = apply(image, ClusterControl.unfence(image, 1, false));
        assertThat(partition(image, 0).leader()).isEqualTo(1);
        assertThat(partition(image, 0).leaderEpoch()).isEqualTo(2);
    }

    @Test
    void aNewIncarnationOfAnUnfencedBrokerLosesItsLeadershipsOrLeadsAtANewEpoch() {
        MetadataImage image = apply(registered(threeBrokers(), 1, 2, 3), List.of(
                // partition 1: only broker 1 in sync, and leading
                new PartitionChangeRecord(TOPIC, 1, Optional.of(List.of(1)),
                        OptionalInt.of(1))));
        assertThat(partition(image, 1).leaderEpoch()).isEqualTo(1);

        // The same incarnation again (a retry) changes nothing.
        assertThat(ClusterControl.register(image, incarnation(1, 1), false).records()).isEmpty();

        MetadataImage restarted = apply(image, ClusterControl.register(image, incarnation(1, 99), false).records());
        PartitionImage p0 = partition(restarted, 0);
        assertThat(p0.leader()).as("another in-sync replica takes over").isEqualTo(2);
        assertThat(p0.leaderEpoch()).isEqualTo(partition(image, 0).leaderEpoch() + 1);
        assertThat(p0.isr()).containsExactly(2, 3);
        PartitionImage p1 = partition(restarted, 1);
        assertThat(p1.leader()).as("the only in-sync replica leads again").isEqualTo(1);
        assertThat(p1.leaderEpoch()).isGreaterThan(partition(image, 1).leaderEpoch());
        assertThat(p1.isr()).containsExactly(1);
        assertThat(restarted.broker(1).orElseThrow().incarnationId()).isEqualTo(new UUID(0, 99));
        assertThat(restarted.broker(1).orElseThrow().fenced()).isFalse();
    }

    @Test
    void aNewIncarnationOfAFencedBrokerOnlyTakesBackLeaderlessPartitions() {
        MetadataImage image = registered(threeBrokers(), 1, 2, 3);
        image = apply(image, ClusterControl.fence(image, 1, false));
        int epoch = partition(image, 0).leaderEpoch();

        MetadataImage restarted = apply(image, ClusterControl.register(image, incarnation(1, 99), false).records());
        assertThat(partition(restarted, 0).leader()).isEqualTo(2);
        assertThat(partition(restarted, 0).leaderEpoch()).isEqualTo(epoch);
    }

    @Test
    void withUncleanElectionAllowedForTheTopicAnOutOfSyncReplicaLeadsAloneInTheIsr() {
        MetadataImage image = threeBrokers();
        image = apply(image, ClusterControl.fence(image, 2, false));
        image = apply(image, ClusterControl.fence(image, 3, false));
        image = apply(image, ClusterControl.unfence(image, 3, false));
        assertThat(partition(image, 0).isr()).containsExactly(1);

        MetadataImage clean = apply(image, ClusterControl.fence(image, 1, false));
        assertThat(partition(clean, 0).leader()).isEqualTo(PartitionImage.NO_LEADER);

        MetadataImage unclean = apply(image, List.of(new ConfigRecord(ConfigResource.topic("t"),
                "unclean.leader.election.enable", Optional.of("true"))));
        unclean = apply(unclean, ClusterControl.fence(unclean, 1, false));
        assertThat(partition(unclean, 0).leader()).isEqualTo(3);
        assertThat(partition(unclean, 0).isr()).containsExactly(3);

        MetadataImage byDefault = apply(image, ClusterControl.fence(image, 3, false));
        byDefault = apply(byDefault, ClusterControl.fence(byDefault, 1, false));
        byDefault = apply(byDefault, ClusterControl.unfence(byDefault, 2, true));
        assertThat(partition(byDefault, 0).leader()).as("the broker default allows it; 2 comes back").isEqualTo(2);
        assertThat(partition(byDefault, 0).isr()).containsExactly(2);
    }

    @Test
    void theClusterDefaultDynamicBrokerConfigAllowsAnUncleanElectionForTopicsWithoutTheirOwnSetting() {
        MetadataImage image = threeBrokers();
        image = apply(image, ClusterControl.fence(image, 2, false));
        image = apply(image, ClusterControl.fence(image, 3, false));
        image = apply(image, ClusterControl.unfence(image, 3, false));

        MetadataImage clusterDefault = apply(image, List.of(new ConfigRecord(ConfigResource.clusterDefaultBroker(),
                "unclean.leader.election.enable", Optional.of("true"))));
        clusterDefault = apply(clusterDefault, ClusterControl.fence(clusterDefault, 1, false));
        assertThat(partition(clusterDefault, 0).leader()).isEqualTo(3);

        MetadataImage topicSaysNo = apply(image, List.of(
                new ConfigRecord(ConfigResource.clusterDefaultBroker(), "unclean.leader.election.enable",
                        Optional.of("true")),
                new ConfigRecord(ConfigResource.topic("t"), "unclean.leader.election.enable", Optional.of("false"))));
        topicSaysNo = apply(topicSaysNo, ClusterControl.fence(topicSaysNo, 1, false));
        assertThat(partition(topicSaysNo, 0).leader()).isEqualTo(PartitionImage.NO_LEADER);
    }

    @Test
    void anUncleanElectionAskedForGivesALeaderlessPartitionAnUnfencedReplica() {
        MetadataImage image = threeBrokers();
        image = apply(image, ClusterControl.fence(image, 2, false));
        image = apply(image, ClusterControl.fence(image, 3, false));
        image = apply(image, ClusterControl.unfence(image, 3, false));
        image = apply(image, ClusterControl.fence(image, 1, false));
        TopicPartition p0 = new TopicPartition("t", 0);

        ControllerResult<ApiError> election = ClusterControl.electUnclean(image, p0);
        assertThat(election.response()).isEqualTo(ApiError.NONE);
        MetadataImage after = apply(image, election.records());
        assertThat(partition(after, 0).leader()).isEqualTo(3);
        assertThat(partition(after, 0).isr()).containsExactly(3);
        assertThat(ClusterControl.electUnclean(after, p0).response().error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);
    }

    @Test
    void preferredElectionGivesTheLeadershipBackToTheFirstReplicaOnceInSync() {
        MetadataImage image = threeBrokers();
        image = apply(image, ClusterControl.fence(image, 1, false));
        image = apply(image, ClusterControl.unfence(image, 1, false));
        assertThat(ClusterControl.preferredElectionError(image, new TopicPartition("t", 0)))
                .map(ApiError::error).contains(Errors.PREFERRED_LEADER_NOT_AVAILABLE); // 1 is not in the ISR

        PartitionImage p0 = partition(image, 0);
        image = apply(image, ClusterControl.alterPartition(image, TOPIC, 0, p0.leader(), p0.leaderEpoch(),
                p0.partitionEpoch(), List.of(2, 3, 1)).records());
        image = apply(image, ClusterControl.electPreferred(image, Optional.of(Set.of(new TopicPartition("t", 0)))));

        assertThat(partition(image, 0).leader()).isEqualTo(1);
        assertThat(ClusterControl.preferredElectionError(image, new TopicPartition("t", 0)))
                .map(ApiError::error).contains(Errors.ELECTION_NOT_NEEDED);
    }

    @Test
    void alterPartitionIsCheckedAgainstLeaderEpochPartitionEpochAndFencedReplicas() {
        MetadataImage image = threeBrokers();

        ControllerResult<PartitionImage> shrunk = ClusterControl.alterPartition(image, TOPIC, 0, 1, 0, 0, List.of(1, 2));
        assertThat(shrunk.response().isr()).containsExactly(1, 2);
        assertThat(shrunk.response().partitionEpoch()).isEqualTo(1);
        assertThat(partition(apply(image, shrunk.records()), 0)).isEqualTo(shrunk.response());

        assertError(() -> ClusterControl.alterPartition(image, TOPIC, 0, 1, 0, 5, List.of(1)), Errors.INVALID_UPDATE_VERSION);
        assertError(() -> ClusterControl.alterPartition(image, TOPIC, 0, 2, 0, 0, List.of(2)), Errors.NOT_LEADER_OR_FOLLOWER);
        assertError(() -> ClusterControl.alterPartition(image, TOPIC, 0, 1, 1, 0, List.of(1)), Errors.NOT_LEADER_OR_FOLLOWER);
        assertError(() -> ClusterControl.alterPartition(image, new UUID(9, 9), 0, 1, 0, 0, List.of(1)),
                Errors.UNKNOWN_TOPIC_ID);
        MetadataImage fenced = apply(image, ClusterControl.fence(image, 3, false));
        PartitionImage p0 = partition(fenced, 0);
        assertError(() -> ClusterControl.alterPartition(fenced, TOPIC, 0, 1, p0.leaderEpoch(), p0.partitionEpoch(),
                List.of(1, 2, 3)), Errors.INELIGIBLE_REPLICA);
        MetadataImage newLeader = apply(image, ClusterControl.fence(image, 1, false));
        assertError(() -> ClusterControl.alterPartition(newLeader, TOPIC, 0, 1, 0, 1, List.of(1)),
                Errors.FENCED_LEADER_EPOCH);
    }

    @Test
    void placementOverBalancedRacksPutsEveryReplicaOfAPartitionOnAnotherRack() {
        Map<Integer, BrokerRegistration> brokers = Map.of(1, broker(1, "a"), 2, broker(2, "a"), 3, broker(3, "b"),
                4, broker(4, "b"), 5, broker(5, "c"), 6, broker(6, "c"));

        List<Integer> order = ReplicaAssignments.placementOrder(brokers);
        assertThat(order).containsExactly(1, 3, 5, 2, 4, 6);
        for (List<Integer> replicas : ReplicaPlacement.place(order, 0, 10, 3)) {
            assertThat(replicas.stream().map(id -> brokers.get(id).rack().orElseThrow()).distinct()).hasSize(3);
        }
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Errors error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    private static BrokerRegistration broker(int id, String rack) {
        return new BrokerRegistration(id, List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9090 + id)),
                Optional.ofNullable(rack));
    }

    /** Brokers 1..3, topic t: partition 0 on [1,2,3] led by 1, partition 1 on [2,3,1] led by 2. */
    private static MetadataImage threeBrokers() {
        return apply(MetadataImage.empty("c"), List.of(
                broker(1, null).toRecord(), broker(2, null).toRecord(), broker(3, null).toRecord(),
                new TopicRecord("t", TOPIC),
                new PartitionRecord(TOPIC, 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 0, 0),
                new PartitionRecord(TOPIC, 1, List.of(2, 3, 1), List.of(2, 3, 1), 2, 0, 0)));
    }

    /** The brokers registered again with incarnations 0-id (as cluster brokers do). */
    private static MetadataImage registered(MetadataImage image, int... ids) {
        for (int id : ids) {
            image = apply(image, List.of(incarnation(id, id).toRecord()));
        }
        return image;
    }

    private static BrokerRegistration incarnation(int id, long incarnation) {
        return new BrokerRegistration(id, List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9090 + id)),
                Optional.empty(), new UUID(0, incarnation), false);
    }

    private static MetadataImage apply(MetadataImage image, List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(image);
        records.forEach(delta::replay);
        return delta.apply();
    }

    private static PartitionImage partition(MetadataImage image, int index) {
        return image.topic(TOPIC).orElseThrow().partition(index).orElseThrow();
    }
}
