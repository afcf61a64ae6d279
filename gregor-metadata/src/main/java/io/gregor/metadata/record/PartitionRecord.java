package io.gregor.metadata.record;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** A partition was created with its replica assignment, in-sync replicas and first leader. */
public record PartitionRecord(
        UUID topicId,
        int partition,
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch) implements MetadataRecord {
    public PartitionRecord {
        Objects.requireNonNull(topicId, "topicId");
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
