package io.gregor.storage.index;

/** A time index entry: every record before {@code offset} in the segment has timestamp <= {@code timestamp}. */
public record TimeIndexEntry(long timestamp, long offset) {
}
