package io.gregor.broker.partition;

/** The answer to a ListOffsets query for one partition: an offset, its timestamp and epoch. */
public record OffsetLookup(long offset, long timestamp, int leaderEpoch) {
    /** Kafka's "no such offset" answer: offset and timestamp -1. */
    public static final OffsetLookup NOT_FOUND = new OffsetLookup(-1, -1, -1);
}
