package io.gregor.metadata.record;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The leader, the in-sync replica set and/or the replica assignment of a partition changed.
 * Fields left empty keep their value. Applying a change bumps the partition epoch, and the leader
 * epoch when the leader changes. A reassignment sets {@code replicas} (target plus the replicas
 * being removed) with the {@code addingReplicas} and {@code removingReplicas}; its completion or
 * cancellation sets the final replicas and empties both lists.
 */
public record PartitionChangeRecord(
        UUID topicId,
        int partition,
        Optional<List<Integer>> isr,
        OptionalInt leader,
        Optional<List<Integer>> replicas,
        Optional<List<Integer>> addingReplicas,
        Optional<List<Integer>> removingReplicas) implements MetadataRecord {
    public PartitionChangeRecord {
        Objects.requireNonNull(topicId, "topicId");
        isr = isr.map(List::copyOf);
        Objects.requireNonNull(leader, "leader");
        replicas = replicas.map(List::copyOf);
        addingReplicas = addingReplicas.map(List::copyOf);
        removingReplicas = removingReplicas.map(List::copyOf);
    }

    /** A change of leader and/or ISR only. */
    public PartitionChangeRecord(UUID topicId, int partition, Optional<List<Integer>> isr, OptionalInt leader) {
        this(topicId, partition, isr, leader, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
