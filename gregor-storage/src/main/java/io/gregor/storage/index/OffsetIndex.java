package io.gregor.storage.index;

import java.nio.file.Path;

/**
 * Offset index ({@code .index}): entries of relative offset (int32, offset - segment base) and
 * file position (int32) of a batch, one every {@code index.interval.bytes} of log. A lookup gives
 * the closest indexed batch at or before an offset; the caller scans batch headers from there.
 * Thread-safety as {@link MappedIndex}.
 */
public final class OffsetIndex extends MappedIndex {
    private static final int ENTRY_SIZE = 8;

    public OffsetIndex(Path file, long baseOffset, int maxIndexSize) {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    private OffsetIndex(Path file, long baseOffset, int maxIndexSize, boolean mayExist) {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE, mayExist);
    }

    /** An index whose file is known not to exist yet (a new segment in a new directory). */
    public static OffsetIndex withoutFile(Path file, long baseOffset, int maxIndexSize) {
        return new OffsetIndex(file, baseOffset, maxIndexSize, false);
    }

    /** Indexes a batch starting at {@code offset}; offsets must increase. */
    public void append(long offset, int position) {
        int slot = nextSlot();
        if (slot > 0 && offset <= keyAt(slot - 1)) {
            throw new IllegalArgumentException("Offset " + offset + " not above last indexed " + keyAt(slot - 1));
        }
        mmap().putInt(slot * ENTRY_SIZE, Math.toIntExact(offset - baseOffset));
        mmap().putInt(slot * ENTRY_SIZE + 4, position);
        commitEntry();
    }

    /** The last entry at or before {@code offset}, or (baseOffset, 0) when there is none. */
    public IndexEntry lookup(long offset) {
        int slot = largestSlotAtOrBelow(offset);
        return slot < 0 ? new IndexEntry(baseOffset, 0) : entryAt(slot);
    }

    /**
     * The last entry whose offset is at most {@code maxOffset} and whose position is at most
     * {@code maxPosition}, or (baseOffset, 0) when there is none. Offsets and positions grow
     * together, so this is where a read that ends on a batch boundary before both limits may skip
     * to: every batch before an indexed one ends before that batch's offset and position.
     */
    public IndexEntry lastEntryWithin(long maxOffset, long maxPosition) {
        int found = lastSlotWhere(largestSlotAtOrBelow(maxOffset), slot -> positionAt(slot) <= maxPosition);
        return found < 0 ? new IndexEntry(baseOffset, 0) : entryAt(found);
    }

    public IndexEntry lastEntry() {
        int count = entries();
        return count == 0 ? new IndexEntry(baseOffset, 0) : entryAt(count - 1);
    }

    public IndexEntry entryAt(int slot) {
        return new IndexEntry(keyAt(slot), positionAt(slot));
    }

    private int positionAt(int slot) {
        return mmap().getInt(slot * ENTRY_SIZE + 4);
    }

    /** Removes entries for offsets >= {@code offset}. */
    public void truncateTo(long offset) {
        truncateToSlot(largestSlotAtOrBelow(offset - 1) + 1);
    }

    @Override
    protected long keyAt(int slot) {
        return baseOffset + mmap().getInt(slot * ENTRY_SIZE);
    }
}
