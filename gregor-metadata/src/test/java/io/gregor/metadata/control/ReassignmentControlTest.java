package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.metadata.quorum.MetadataSnapshot;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReassignmentControlTest {
    private static final UUID TOPIC = new UUID(1, 2);
    private static final TopicPartition P0 = new TopicPartition("t", 0);

    @Test
    void newReplicasAreAddedAsFollowersAndTheReassignmentCompletesWhenTheTargetIsInSync() {
        MetadataImage image = fourBrokers();

        ControllerResult<Map<TopicPartition, ApiError>> started = reassign(image, P0, List.of(4, 2));
        assertThat(started.response()).containsEntry(P0, ApiError.NONE);
        image = apply(image, started.records());
        PartitionImage moving = partition(image);
        assertThat(moving.replicas()).containsExactly(4, 2, 1);
        assertThat(moving.addingReplicas()).containsExactly(4);
        assertThat(moving.removingReplicas()).containsExactly(1);
        assertThat(moving.isr()).containsExactly(1, 2);
        assertThat(moving.leader()).isEqualTo(1);
        assertThat(ReassignmentControl.ongoing(image, Optional.empty())).containsOnlyKeys(P0);

        // The leader adds the caught-up broker 4 to the ISR: that completes the reassignment.
        ControllerResult<PartitionImage> isrChange = ReassignmentControl.completeIfCaughtUp(image, TOPIC,
                ClusterControl.alterPartition(image, TOPIC, 0, 1, moving.leaderEpoch(), moving.partitionEpoch(),
                        List.of(1, 2, 4)));
        assertThat(isrChange.records()).hasSize(1);
        image = apply(image, isrChange.records());
        PartitionImage done = partition(image);
        assertThat(done).isEqualTo(isrChange.response());
        assertThat(done.replicas()).containsExactly(4, 2);
        assertThat(done.isr()).containsExactly(2, 4);
        assertThat(done.leader()).isEqualTo(4); // the old leader was removed: the first in-sync target replica leads
        assertThat(done.leaderEpoch()).isEqualTo(moving.leaderEpoch() + 1);
        assertThat(done.isReassigning()).isFalse();
        assertThat(ReassignmentControl.ongoing(image, Optional.empty())).isEmpty();
    }

    @Test
    void anIsrChangeThatLeavesATargetReplicaOutDoesNotComplete() {
        MetadataImage image = apply(fourBrokers(), reassign(fourBrokers(), P0, List.of(3, 4)).records());
        PartitionImage moving = partition(image);
        ControllerResult<PartitionImage> isrChange = ReassignmentControl.completeIfCaughtUp(image, TOPIC,
                ClusterControl.alterPartition(image, TOPIC, 0, 1, moving.leaderEpoch(), moving.partitionEpoch(),
                        List.of(1, 2, 3)));
        image = apply(image, isrChange.records());
        assertThat(partition(image).isReassigning()).isTrue();
        assertThat(partition(image).replicas()).containsExactly(3, 4, 1, 2);
    }

    @Test
    void removingReplicasOnlyCompletesAtOnce() {
        MetadataImage image = fourBrokers();
        image = apply(image, reassign(image, P0, List.of(2)).records());
        PartitionImage p0 = partition(image);
        assertThat(p0.replicas()).containsExactly(2);
        assertThat(p0.isr()).containsExactly(2);
        assertThat(p0.leader()).isEqualTo(2);
        assertThat(p0.isReassigning()).isFalse();
    }

    @Test
    void cancellingRevertsToTheOriginalReplicasAndCancellingNothingIsAnError() {
        MetadataImage image = fourBrokers();
        image = apply(image, reassign(image, P0, List.of(3, 4)).records());
        Map<TopicPartition, Optional<List<Integer>>> cancel = Map.of(P0, Optional.empty());

        ControllerResult<Map<TopicPartition, ApiError>> cancelled = ReassignmentControl.alter(image, cancel, true);
        assertThat(cancelled.response()).containsEntry(P0, ApiError.NONE);
        image = apply(image, cancelled.records());
        PartitionImage p0 = partition(image);
        assertThat(p0.replicas()).containsExactly(1, 2);
        assertThat(p0.isr()).containsExactly(1, 2);
        assertThat(p0.leader()).isEqualTo(1);
        assertThat(p0.isReassigning()).isFalse();

        assertThat(ReassignmentControl.alter(image, cancel, true).response().get(P0).error())
                .isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS);
    }

    @Test
    void aNewTargetReplacesTheReassignmentInProgressRelativeToTheOriginalReplicas() {
        MetadataImage image = fourBrokers();
        image = apply(image, reassign(image, P0, List.of(3, 4)).records());
        image = apply(image, reassign(image, P0, List.of(1, 4)).records());
        PartitionImage p0 = partition(image);
        assertThat(p0.replicas()).containsExactly(1, 4, 2);
        assertThat(p0.addingReplicas()).containsExactly(4);
        assertThat(p0.removingReplicas()).containsExactly(2);
    }

    @Test
    void invalidTargetsAndUnknownPartitionsAreRefusedPerPartition() {
        MetadataImage image = apply(fourBrokers(), ClusterControl.fence(fourBrokers(), 3, false));
        Map<TopicPartition, Optional<List<Integer>>> targets = new LinkedHashMap<>();
        targets.put(new TopicPartition("t", 0), Optional.of(List.of()));
        targets.put(new TopicPartition("t", 1), Optional.of(List.of(2, 2)));
        targets.put(new TopicPartition("t", 2), Optional.of(List.of(1, 9)));
        targets.put(new TopicPartition("t", 3), Optional.of(List.of(1, 3)));
        targets.put(new TopicPartition("t", 4), Optional.of(List.of(1, 2)));
        targets.put(new TopicPartition("nope", 0), Optional.of(List.of(1, 2)));

        ControllerResult<Map<TopicPartition, ApiError>> result = ReassignmentControl.alter(image, targets, true);

        assertThat(result.records()).isEmpty();
        assertThat(result.response().values()).extracting(ApiError::error).containsExactly(
                Errors.INVALID_REPLICA_ASSIGNMENT, Errors.INVALID_REPLICA_ASSIGNMENT, Errors.INVALID_REPLICA_ASSIGNMENT,
                Errors.INVALID_REPLICA_ASSIGNMENT, Errors.UNKNOWN_TOPIC_OR_PARTITION,
                Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void cancellingWhenOnlyAddedReplicasAreInSyncIsRefused() {
        MetadataImage image = fourBrokers();
        image = apply(image, reassign(image, P0, List.of(3, 4)).records());
        // The original replicas 1 and 2 fall out of the ISR while 3 and 4 are still catching up.
        image = apply(image, List.of(new PartitionChangeRecord(TOPIC, 0,
                Optional.of(List.of(3)), OptionalInt.of(3))));

        ControllerResult<Map<TopicPartition, ApiError>> cancelled = ReassignmentControl.alter(image,
                Map.of(P0, Optional.empty()), true);
        assertThat(cancelled.records()).isEmpty();
        assertThat(cancelled.response().get(P0).error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void aReplicationFactorChangeIsRefusedWhenTheRequestForbidsIt() {
        ControllerResult<Map<TopicPartition, ApiError>> result = ReassignmentControl.alter(fourBrokers(),
                Map.of(P0, Optional.of(List.of(1, 2, 3))), false);
        assertThat(result.records()).isEmpty();
        assertThat(result.response().get(P0).error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
    }

    @Test
    void aReassignmentInProgressSurvivesASnapshot() {
        MetadataImage image = apply(fourBrokers(), reassign(fourBrokers(), P0, List.of(3, 4)).records());
        MetadataImage restored = MetadataSnapshot.of(image).toDelta("c").apply();
        assertThat(partition(restored)).isEqualTo(partition(image));
    }

    private static ControllerResult<Map<TopicPartition, ApiError>> reassign(MetadataImage image, TopicPartition tp,
                                                                            List<Integer> target) {
        return ReassignmentControl.alter(image, Map.of(tp, Optional.of(target)), true);
    }

    /** Brokers 1..4, topic t with partitions 0 to 3 on [1,2] led by 1. */
    private static MetadataImage fourBrokers() {
        return apply(MetadataImage.empty("c"), List.of(
                broker(1).toRecord(), broker(2).toRecord(), broker(3).toRecord(), broker(4).toRecord(),
                new TopicRecord("t", TOPIC),
                new PartitionRecord(TOPIC, 0, List.of(1, 2), List.of(1, 2), 1, 0, 0),
                new PartitionRecord(TOPIC, 1, List.of(1, 2), List.of(1, 2), 1, 0, 0),
                new PartitionRecord(TOPIC, 2, List.of(1, 2), List.of(1, 2), 1, 0, 0),
                new PartitionRecord(TOPIC, 3, List.of(1, 2), List.of(1, 2), 1, 0, 0)));
    }

    private static BrokerRegistration broker(int id) {
        return new BrokerRegistration(id, List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9090 + id)),
                Optional.empty());
    }

    private static MetadataImage apply(MetadataImage image, List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(image);
        records.forEach(delta::replay);
        return delta.apply();
    }

    private static PartitionImage partition(MetadataImage image) {
        return image.topic(TOPIC).orElseThrow().partition(0).orElseThrow();
    }
}
