package io.gregor.storage.retention;

import java.util.List;

/**
 * Decides how many of a log's oldest segments retention deletes. Whole segments only, oldest
 * first and contiguous (a log never has holes); never the active (last) segment; never a segment
 * holding offsets at or above the high watermark, so consumers cannot lose records they have
 * not been allowed to read. A segment goes when its newest timestamp is older than
 * {@code retentionMs}, or while the log without it is still at least {@code retentionBytes}
 * (negative limits are unlimited). Stateless.
 */
public final class RetentionPolicy {
    private RetentionPolicy() {
    }

    public static int deletableSegments(List<SegmentSummary> segments, long retentionMs, long retentionBytes,
                                        long nowMs, long highWatermark) {
        long totalBytes = segments.stream().mapToLong(SegmentSummary::sizeInBytes).sum();
        long excessBytes = retentionBytes < 0 ? 0 : totalBytes - retentionBytes;
        int count = 0;
        for (int i = 0; i < segments.size() - 1; i++) {
            SegmentSummary segment = segments.get(i);
            if (segment.nextOffset() > highWatermark) {
                break;
            }
            boolean expired = retentionMs >= 0 && nowMs - segment.largestTimestamp() > retentionMs;
            boolean oversize = excessBytes - segment.sizeInBytes() >= 0 && retentionBytes >= 0;
            if (!expired && !oversize) {
                break;
            }
            excessBytes -= segment.sizeInBytes();
            count++;
        }
        return count;
    }
}
