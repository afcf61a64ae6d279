package io.gregor.metadata.quorum;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The metadata offset reached at each recently applied Raft index: Raft counts log entries (a
 * batch, a leader's no-op, a configuration), metadata offsets count records, and the leader
 * knows how far other replicas are only as a Raft index. Only the most recent indexes are kept,
 * enough for replicas that keep up; a replica further behind is reported as unknown.
 *
 * <p>Threading: written by the state machine's apply thread only, read from any thread.
 */
final class AppliedOffsets {
    private static final int KEPT = 1024;

    private final ConcurrentSkipListMap<Long, Long> nextOffsetByIndex = new ConcurrentSkipListMap<>();
    /** The size of the map, counted by its one writer since the map's own size() walks it. */
    private int kept;

    /** The entry at {@code index} is applied; the log then holds {@code nextOffset} records. */
    void applied(long index, long nextOffset) {
        if (nextOffsetByIndex.put(index, nextOffset) == null) {
            kept++;
        }
        while (kept > KEPT) {
            nextOffsetByIndex.pollFirstEntry();
            kept--;
        }
    }

    /** A snapshot replaced the log up to {@code index}: what was kept before says nothing about it. */
    void reset(long index, long nextOffset) {
        nextOffsetByIndex.clear();
        kept = 0;
        applied(index, nextOffset);
    }

    /**
     * The number of records in the log up to and including the entry at {@code index}, or empty
     * when that index is older than what is kept (or nothing is applied yet).
     */
    OptionalLong nextOffsetAt(long index) {
        Map.Entry<Long, Long> atOrBefore = nextOffsetByIndex.floorEntry(index);
        return atOrBefore == null ? OptionalLong.empty() : OptionalLong.of(atOrBefore.getValue());
    }
}
