package io.gregor.broker.group;

import java.util.List;

/**
 * The broker settings the group coordinator reads.
 *
 * @param offsetsTopicPartitions {@code offsets.topic.num.partitions}: one coordinator shard each
 * @param offsetsTopicReplicationFactor {@code offsets.topic.replication.factor}
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}
 * @param minSessionTimeoutMs {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms}
 * @param maxGroupSize {@code group.max.size}
 * @param offsetMetadataMaxBytes {@code offset.metadata.max.bytes}
 * @param offsetsRetentionMs {@code offsets.retention.minutes}, in milliseconds
 * @param offsetsRetentionCheckIntervalMs {@code offsets.retention.check.interval.ms}
 * @param consumer the settings of consumer-protocol groups (KIP-848)
 */
public record GroupCoordinatorConfig(int offsetsTopicPartitions, short offsetsTopicReplicationFactor,
                                     int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                     int maxGroupSize, int offsetMetadataMaxBytes, long offsetsRetentionMs,
                                     long offsetsRetentionCheckIntervalMs, ConsumerProtocol consumer) {

    /** The classic settings, with Kafka's defaults for consumer-protocol groups. */
    public GroupCoordinatorConfig(int offsetsTopicPartitions, short offsetsTopicReplicationFactor,
                                  int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                  int maxGroupSize, int offsetMetadataMaxBytes, long offsetsRetentionMs,
                                  long offsetsRetentionCheckIntervalMs) {
        this(offsetsTopicPartitions, offsetsTopicReplicationFactor, initialRebalanceDelayMs, minSessionTimeoutMs,
                maxSessionTimeoutMs, maxGroupSize, offsetMetadataMaxBytes, offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs, ConsumerProtocol.DEFAULTS);
    }

    /**
     * @param sessionTimeoutMs {@code group.consumer.session.timeout.ms}: a member silent this
     *     long is fenced
     * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}, told to members
     * @param assignors {@code group.consumer.assignors}: the server-side assignors members may
     *     choose, the first being the default
     */
    public record ConsumerProtocol(int sessionTimeoutMs, int heartbeatIntervalMs, List<String> assignors) {
        public static final ConsumerProtocol DEFAULTS = new ConsumerProtocol(45000, 5000, List.of("uniform", "range"));

        public ConsumerProtocol {
            assignors = List.copyOf(assignors);
        }
    }
}
