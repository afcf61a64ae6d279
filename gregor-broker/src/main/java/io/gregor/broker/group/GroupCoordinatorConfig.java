package io.gregor.broker.group;

/**
 * The broker settings the group coordinator reads.
 *
 * @param offsetsTopicPartitions {@code offsets.topic.num.partitions}: one coordinator shard each
 * @param offsetsTopicReplicationFactor {@code offsets.topic.replication.factor}
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}
 * @param minSessionTimeoutMs {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms}
 * @param offsetMetadataMaxBytes {@code offset.metadata.max.bytes}
 */
public record GroupCoordinatorConfig(int offsetsTopicPartitions, short offsetsTopicReplicationFactor,
                                     int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                     int offsetMetadataMaxBytes) {
    /** Kafka's default for {@code offset.metadata.max.bytes}. */
    public static final int DEFAULT_OFFSET_METADATA_MAX_BYTES = 4096;
}
