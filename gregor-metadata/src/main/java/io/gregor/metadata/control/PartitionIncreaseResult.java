package io.gregor.metadata.control;

import java.util.Objects;

/** The outcome for one topic of CreatePartitions. */
public record PartitionIncreaseResult(String topic, ApiError error) {
    public PartitionIncreaseResult {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(error, "error");
    }
}
