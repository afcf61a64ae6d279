package io.gregor.storage.log;

/**
 * Why an append's batch was refused, where Kafka keeps a meter of that reason
 * ({@code kafka.server:type=BrokerTopicMetrics}): the broker marks it from the refusal's
 * {@link LogException#defect()}.
 */
public enum BatchDefect {
    /** The batch fails its CRC32C check: {@code InvalidMessageCrcRecordsPerSec}. */
    CRC,
    /** A magic other than 2: {@code InvalidMagicNumberRecordsPerSec}. */
    MAGIC,
    /** Its last offset delta does not match its record count: {@code InvalidOffsetOrSequenceRecordsPerSec}. */
    OFFSETS,
    /** A record without a key for a compacted topic: {@code NoKeyCompactedTopicRecordsPerSec}. */
    NO_KEY_ON_COMPACTED_TOPIC,
    /** Larger than max.message.bytes: its bytes count in {@code BytesRejectedPerSec}. */
    TOO_LARGE
}
