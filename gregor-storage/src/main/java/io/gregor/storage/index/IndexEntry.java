package io.gregor.storage.index;

/** An offset index hit: the batch at file {@code position} starts at or before {@code offset}. */
public record IndexEntry(long offset, int position) {
}
