package io.gregor.metadata.record;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The leader and/or the in-sync replica set of a partition changed. Fields left empty keep their
 * value. Applying a change bumps the partition epoch, and the leader epoch when the leader changes.
 */
public record PartitionChangeRecord(UUID topicId, int partition, Optional<List<Integer>> isr, OptionalInt leader)
        implements MetadataRecord {
    public PartitionChangeRecord {
        Objects.requireNonNull(topicId, "topicId");
        isr = isr.map(List::copyOf);
        Objects.requireNonNull(leader, "leader");
    }
}
