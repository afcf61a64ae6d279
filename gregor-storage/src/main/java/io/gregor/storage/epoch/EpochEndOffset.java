package io.gregor.storage.epoch;

/**
 * The answer to OffsetForLeaderEpoch: the largest epoch at or below the one asked for, and the
 * offset where it ended (the next epoch's start, or the log end for the latest epoch).
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {
    /** No epoch at or below the one asked for is known (Kafka answers -1/-1). */
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1L);
}
