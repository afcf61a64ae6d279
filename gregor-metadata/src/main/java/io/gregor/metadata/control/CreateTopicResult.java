package io.gregor.metadata.control;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The outcome for one topic of CreateTopics. On success it carries what was (or, when only
 * validating, would have been) created; the topic id is empty when only validating.
 */
public record CreateTopicResult(
        String name,
        ApiError error,
        Optional<UUID> topicId,
        int numPartitions,
        short replicationFactor) {
    public CreateTopicResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(topicId, "topicId");
    }

    static CreateTopicResult failed(String name, ApiError error) {
        return new CreateTopicResult(name, error, Optional.empty(), 0, (short) 0);
    }
}
