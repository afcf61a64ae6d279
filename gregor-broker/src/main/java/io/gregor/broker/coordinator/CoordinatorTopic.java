package io.gregor.broker.coordinator;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import java.util.Map;
import java.util.Optional;

/**
 * An internal topic whose partitions hold a coordinator's state ({@code __consumer_offsets},
 * {@code __transaction_state}): a key (group id, transactional id) belongs to one partition, and
 * that partition's leader coordinates it.
 *
 * @param partitions its configured partition count, which the key's partition depends on
 * @param replicationFactor used when the topic is created on first use
 * @param configs its topic configs besides compaction, set when it is created
 */
public record CoordinatorTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public CoordinatorTopic {
        configs = Map.copyOf(configs);
    }

    /** A topic with no configs but compaction. */
    public CoordinatorTopic(String name, int partitions, short replicationFactor) {
        this(name, partitions, replicationFactor, Map.of());
    }

    /** The partition of {@code key}: the function Kafka uses, so every broker and client agrees on it. */
    public int partitionFor(String key) {
        return partitionFor(key, partitions);
    }

    /** {@code abs(key.hashCode()) % partitions}, with the hash of {@code Integer.MIN_VALUE} taken as 0. */
    public static int partitionFor(String key, int partitions) {
        int hash = key.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitions;
    }

    /** The broker the committed metadata has lead {@code partition}, if it has one. */
    public Optional<Integer> leader(MetadataImage image, int partition) {
        return image.topic(name)
                .flatMap(topic -> topic.partition(partition))
                .map(PartitionImage::leader)
                .filter(id -> id >= 0);
    }
}
