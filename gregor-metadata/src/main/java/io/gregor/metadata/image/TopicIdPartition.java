package io.gregor.metadata.image;

import java.util.Objects;
import java.util.UUID;

/** A partition named by its topic's id, which unlike the name is never reused. */
public record TopicIdPartition(UUID topicId, int partition) {
    public TopicIdPartition {
        Objects.requireNonNull(topicId, "topicId");
    }
}
