package io.gregor.metadata.record;

import java.util.Objects;
import java.util.UUID;

/** A topic was deleted, with its partitions and its configs. */
public record RemoveTopicRecord(UUID topicId) implements MetadataRecord {
    public RemoveTopicRecord {
        Objects.requireNonNull(topicId, "topicId");
    }
}
