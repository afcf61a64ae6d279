package io.gregor.storage.retention;

/** What retention needs to know of a segment, oldest first in a log. */
public record SegmentSummary(long baseOffset, long nextOffset, long sizeInBytes, long largestTimestamp) {
}
