package io.gregor.storage.index;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Time index ({@code .timeindex}): entries of timestamp (int64, the largest timestamp seen so
 * far in the segment) and relative offset (int32) of the batch that carried it. Timestamps
 * strictly increase, so a lookup for T gives an offset before which no record is at or after T
 * unless its timestamp equals the entry's. Thread-safety as {@link MappedIndex}.
 */
public final class TimeIndex extends MappedIndex {
    private static final int ENTRY_SIZE = 12;

    public TimeIndex(Path file, long baseOffset, int maxIndexSize) {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    private TimeIndex(Path file, long baseOffset, int maxIndexSize, boolean mayExist) {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE, mayExist);
    }

    /** An index whose file is known not to exist yet (a new segment in a new directory). */
    public static TimeIndex withoutFile(Path file, long baseOffset, int maxIndexSize) {
        return new TimeIndex(file, baseOffset, maxIndexSize, false);
    }

    /** Appends if {@code timestamp} is newer than the last entry's (older ones add no information). */
    public void maybeAppend(long timestamp, long offset) {
        if (entries() > 0 && timestamp <= keyAt(entries() - 1)) {
            return;
        }
        int slot = nextSlot();
        mmap().putLong(slot * ENTRY_SIZE, timestamp);
        mmap().putInt(slot * ENTRY_SIZE + 8, Math.toIntExact(offset - baseOffset));
        commitEntry();
    }

    /** The last entry with timestamp < {@code timestamp}: scanning from its offset finds the first record at or after it. */
    public Optional<TimeIndexEntry> lastEntryBefore(long timestamp) {
        int slot = largestSlotAtOrBelow(timestamp - 1);
        return slot < 0 ? Optional.empty() : Optional.of(entryAt(slot));
    }

    public Optional<TimeIndexEntry> lastEntry() {
        int count = entries();
        return count == 0 ? Optional.empty() : Optional.of(entryAt(count - 1));
    }

    public TimeIndexEntry entryAt(int slot) {
        return new TimeIndexEntry(keyAt(slot), baseOffset + mmap().getInt(slot * ENTRY_SIZE + 8));
    }

    /** Removes entries whose offset is >= {@code offset}. */
    public void truncateTo(long offset) {
        int keep = entries();
        while (keep > 0 && entryAt(keep - 1).offset() >= offset) {
            keep--;
        }
        truncateToSlot(keep);
    }

    @Override
    protected long keyAt(int slot) {
        return mmap().getLong(slot * ENTRY_SIZE);
    }
}
