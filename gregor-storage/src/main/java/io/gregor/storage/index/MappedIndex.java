package io.gregor.storage.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.IntPredicate;

/**
 * A sparse, memory-mapped index of fixed-size entries sorted by their key, over one segment.
 * While a segment is active the file is extended to the maximum size (sparse on disk) so that
 * appends never remap; {@link #trimToValidSize()} cuts it back to the entries when the segment
 * is rolled or closed, so a file's length tells how many entries it holds on a clean open.
 * <p>
 * A new index has no file until its first entry: most of a new partition's segments start empty
 * (and a segment smaller than {@code index.interval.bytes} never gets an entry), and creating,
 * sizing and mapping two files per partition was most of the time taken to create a topic of
 * 1,000 partitions. A missing file is an index without entries, as an empty file is.
 * <p>
 * A new file starts at one page and doubles as entries fill it, up to the maximum size. The first
 * write into a page of a mapped file faults it in, and the kernel reads around the faulting page
 * (32 pages by default) within the file's length: with a sparse file of the maximum size from the
 * start, the first entry of every new index zero-filled 128 KB of page cache, which was three
 * quarters of the broker's CPU when producing to 1,000 partitions.
 * <p>
 * Thread-safety: mutations (append, truncate, resize, close) happen under the owning log's lock.
 * Lookups run lock-free: an entry is written before the volatile entry count that publishes it.
 */
public abstract class MappedIndex implements AutoCloseable {
    private volatile Path file; // changes when the cleaner swaps a segment in
    protected final long baseOffset;
    private final int entrySize;
    // replaced on resize, readers may keep the old one safely; null while the index has no file
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    /** The most entries this index may hold (from {@code segment.index.bytes}, or the file it was opened with). */
    private int maxEntries;
    /** The entries the current mapping has room for: up to {@link #maxEntries}, growing as they are used. */
    private int mappedEntries;

    /** The length a new index file is created and first mapped with: one page. */
    static final int FIRST_MAPPING_BYTES = 4096;

    protected MappedIndex(Path file, long baseOffset, int maxIndexSize, int entrySize) {
        this(file, baseOffset, maxIndexSize, entrySize, true);
    }

    /** @param mayExist false for a segment in a directory just made: the file is not looked for */
    protected MappedIndex(Path file, long baseOffset, int maxIndexSize, int entrySize, boolean mayExist) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.maxEntries = (int) (roundDown(maxIndexSize) / entrySize);
        if (!mayExist || !Files.exists(file)) {
            return; // created with the first entry
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long existing = channel.size();
            this.entries = (int) (existing / entrySize);
            int length = (int) Math.max(roundDown(maxIndexSize), entries * (long) entrySize);
            map(channel, length);
            this.maxEntries = length / entrySize;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open index " + file, e);
        }
    }

    /** Creates and maps the file for the first entry, one page long. */
    private void createFile() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            map(channel, (int) Math.min(maxEntries * (long) entrySize, roundDown(FIRST_MAPPING_BYTES)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create index " + file, e);
        }
    }

    /** Doubles the file and its mapping (at most to the maximum size) when the mapping is full. */
    private void grow() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            map(channel, (int) Math.min(maxEntries * (long) entrySize, 2L * mappedEntries * entrySize));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot grow index " + file, e);
        }
    }

    private long roundDown(int size) {
        return size - size % entrySize;
    }

    private void map(FileChannel channel, int length) throws IOException {
        if (channel.size() != length) {
            channel.truncate(length);
            if (channel.size() < length) {
                channel.write(java.nio.ByteBuffer.allocate(1), length - 1);
            }
        }
        this.mmap = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        this.mappedEntries = length / entrySize;
    }

    public Path file() {
        return file;
    }

    public int entries() {
        return entries;
    }

    /** Free entry slots; the time index keeps one for the final entry written at roll. */
    public int remainingSlots() {
        return maxEntries - entries;
    }

    public boolean isFull() {
        return entries >= maxEntries;
    }

    public int sizeInBytes() {
        return entries * entrySize;
    }

    protected MappedByteBuffer mmap() {
        return mmap;
    }

    protected int entrySize() {
        return entrySize;
    }

    /** The slot for the next entry; the subclass writes it there, then calls {@link #commitEntry()}. */
    protected int nextSlot() {
        if (isFull()) {
            throw new IllegalStateException("Index " + file + " is full");
        }
        if (mmap == null) {
            createFile();
        } else if (entries >= mappedEntries) {
            grow(); // readers keep using the old mapping until they read the entry count that needs the new one
        }
        return entries;
    }

    /** Publishes the entry written at {@link #nextSlot()} to lock-free readers. */
    protected void commitEntry() {
        entries = entries + 1;
    }

    /** Binary search: the slot of the last entry whose key is <= target, or -1 if none. */
    protected int largestSlotAtOrBelow(long target) {
        return lastSlotWhere(entries - 1, slot -> keyAt(slot) <= target);
    }

    /**
     * Binary search: the last slot in {@code [0, highest]} for which {@code holds} is true, or -1;
     * it must hold for the slots up to some point and not after (a limit on a sorted field).
     */
    protected static int lastSlotWhere(int highest, IntPredicate holds) {
        int lo = 0;
        int hi = highest;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (holds.test(mid)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The sort key of the entry in {@code slot}. */
    protected abstract long keyAt(int slot);

    /** Drops entries from {@code slot} on. */
    protected void truncateToSlot(int slot) {
        entries = Math.max(0, Math.min(slot, entries));
    }

    public void reset() {
        entries = 0;
    }

    /** Cuts the file to its entries (done when the segment stops being active, and on close). */
    public void trimToValidSize() {
        resize(sizeInBytes());
    }

    /** Grows the file back to {@code maxIndexSize} when its segment becomes active again. */
    public void resize(int maxIndexSize) {
        if (mmap == null) {
            maxEntries = (int) (Math.max(roundDown(maxIndexSize), sizeInBytes()) / entrySize);
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            mmap.force();
            int length = (int) Math.max(roundDown(maxIndexSize), sizeInBytes());
            map(channel, length);
            maxEntries = length / entrySize;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resize index " + file, e);
        }
    }

    public void flush() {
        MappedByteBuffer current = mmap;
        if (current != null) {
            current.force();
        }
    }

    @Override
    public void close() {
        trimToValidSize();
    }

    /** Renames the index file; the mapping stays valid (the log cleaner's {@code .cleaned}/{@code .swap} steps). */
    public void renameTo(Path target) throws IOException {
        if (mmap != null) {
            Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        file = target;
    }

    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }
}
