package io.gregor.metadata.control;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * CreatePartitions for one topic: the new total partition count and, optionally, the replicas of
 * each added partition in order.
 */
public record PartitionIncrease(String topic, int totalCount, Optional<List<List<Integer>>> newAssignments) {
    public PartitionIncrease {
        Objects.requireNonNull(topic, "topic");
        newAssignments = newAssignments.map(lists -> lists.stream().map(List::copyOf).toList());
    }

    public static PartitionIncrease to(String topic, int totalCount) {
        return new PartitionIncrease(topic, totalCount, Optional.empty());
    }
}
