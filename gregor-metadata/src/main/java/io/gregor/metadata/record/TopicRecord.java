package io.gregor.metadata.record;

import java.util.Objects;
import java.util.UUID;

/** A topic was created. Its partitions follow as {@link PartitionRecord}s in the same batch. */
public record TopicRecord(String name, UUID topicId) implements MetadataRecord {
    public TopicRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topicId, "topicId");
    }
}
