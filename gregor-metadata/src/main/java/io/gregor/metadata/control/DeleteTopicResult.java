package io.gregor.metadata.control;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The outcome for one topic of DeleteTopics, with its name and id when the topic was found. */
public record DeleteTopicResult(TopicReference reference, Optional<String> name, Optional<UUID> topicId,
                                ApiError error) {
    public DeleteTopicResult {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topicId, "topicId");
        Objects.requireNonNull(error, "error");
    }
}
