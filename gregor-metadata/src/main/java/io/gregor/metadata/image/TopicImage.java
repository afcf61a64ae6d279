package io.gregor.metadata.image;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/** A topic, its id and its partitions by index. Immutable. */
public record TopicImage(String name, UUID id, SortedMap<Integer, PartitionImage> partitions) {
    public TopicImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        partitions = Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
    }

    public Optional<PartitionImage> partition(int index) {
        return Optional.ofNullable(partitions.get(index));
    }

    public int partitionCount() {
        return partitions.size();
    }

    /** Internal topics are Kafka's own state (group offsets, transactions), flagged as such to clients. */
    public boolean isInternal() {
        return InternalTopics.isInternal(name);
    }

    static TopicImage empty(String name, UUID id) {
        return new TopicImage(name, id, new TreeMap<>(Map.of()));
    }
}
