package io.gregor.metadata.record;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A partition was created with its replica assignment, in-sync replicas and first leader. In a
 * snapshot it also carries a reassignment in progress (the replicas being added and removed).
 */
public record PartitionRecord(
        UUID topicId,
        int partition,
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch,
        List<Integer> addingReplicas,
        List<Integer> removingReplicas) implements MetadataRecord {
    public PartitionRecord {
        Objects.requireNonNull(topicId, "topicId");
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A partition without a reassignment in progress. */
    public PartitionRecord(UUID topicId, int partition, List<Integer> replicas, List<Integer> isr, int leader,
                           int leaderEpoch, int partitionEpoch) {
        this(topicId, partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
    }
}
