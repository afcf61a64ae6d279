package io.gregor.storage.cleaner;

import io.gregor.storage.log.LogConfig;
import io.gregor.storage.log.LogSegment;
import io.gregor.storage.log.PartitionLog;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A compacted log's cleaning state at one moment: the clean section [log start, first dirty
 * offset), the dirty section [first dirty offset, first uncleanable offset), and whether it is
 * due. The first uncleanable offset is the lowest of the active segment's base offset (never
 * cleaned), the high watermark, and the base of the first segment holding a record younger than
 * min.compaction.lag.ms. A log is due when its dirty share of bytes reaches
 * min.cleanable.dirty.ratio, when its oldest dirty record is older than max.compaction.lag.ms,
 * or when a delete horizon of its tombstones or markers has passed. Immutable.
 */
record CleanableLog(PartitionLog log, long firstDirtyOffset, long firstUncleanableOffset, long cleanBytes,
                    long dirtyBytes, boolean lagExceeded, boolean horizonPassed) {

    double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    boolean due() {
        boolean dirty = dirtyBytes > 0 && (dirtyRatio() >= log.config().minCleanableDirtyRatio() || lagExceeded);
        return dirty || (horizonPassed && (cleanBytes > 0 || dirtyBytes > 0));
    }

    /**
     * Evaluates {@code log}.
     *
     * @param checkpointedDirtyOffset the first dirty offset last written down, or the log start
     * @param nextDeleteHorizonMs when the earliest tombstone or marker seen may go
     */
    static CleanableLog of(PartitionLog log, long checkpointedDirtyOffset, long nextDeleteHorizonMs, long nowMs)
            throws IOException {
        LogConfig config = log.config();
        List<LogSegment> segments = log.segments();
        long logStart = log.logStartOffset();
        long firstDirty = checkpointedDirtyOffset < logStart || checkpointedDirtyOffset > log.logEndOffset()
                ? logStart : checkpointedDirtyOffset;
        LogSegment active = segments.get(segments.size() - 1);
        long uncleanable = Math.min(active.baseOffset(), log.highWatermark());
        if (config.minCompactionLagMs() > 0) {
            for (LogSegment segment : segments) {
                if (segment.nextOffset() > firstDirty
                        && segment.largestTimestampOrModified() > nowMs - config.minCompactionLagMs()) {
                    uncleanable = Math.min(uncleanable, segment.baseOffset());
                    break;
                }
            }
        }
        uncleanable = Math.max(uncleanable, firstDirty);
        long clean = 0;
        long dirty = 0;
        Optional<LogSegment> firstDirtySegment = Optional.empty();
        for (LogSegment segment : segments.subList(0, segments.size() - 1)) {
            if (segment.nextOffset() <= firstDirty) {
                clean += segment.sizeInBytes();
            } else if (segment.nextOffset() <= uncleanable) {
                dirty += segment.sizeInBytes();
                if (firstDirtySegment.isEmpty()) {
                    firstDirtySegment = Optional.of(segment);
                }
            }
        }
        boolean lagExceeded = false;
        if (firstDirtySegment.isPresent() && config.maxCompactionLagMs() < Long.MAX_VALUE) {
            long oldest = firstDirtySegment.get().firstBatchTimestamp().orElse(firstDirtySegment.get().createdMs());
            lagExceeded = nowMs - oldest > config.maxCompactionLagMs();
        }
        return new CleanableLog(log, firstDirty, uncleanable, clean, dirty, lagExceeded, nextDeleteHorizonMs <= nowMs);
    }
}
