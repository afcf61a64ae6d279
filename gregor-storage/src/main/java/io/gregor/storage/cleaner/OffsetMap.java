package io.gregor.storage.cleaner;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The latest offset of each key of a log's dirty section, in a fixed buffer allocated once:
 * an open-addressing hash table (linear probing) of 24-byte slots, each three longs: the 16-byte
 * MD5 digest of a key and the offset plus one (zero marks an empty slot). Keys themselves are never kept,
 * so memory is bounded by {@code log.cleaner.dedupe.buffer.size} whatever the key sizes; two
 * keys with the same 128-bit digest would be taken for one, a chance too small to matter.
 * <p>
 * The table is never filled beyond {@link #LOAD_FACTOR} so probes stay short; callers check
 * {@link #hasRoomFor} before adding a batch's records. Not thread-safe: one per cleaner thread.
 * <p>
 * Before each log, {@link #reset} sizes the table for the keys that log can have at most (its
 * dirty offsets), within the buffer size. A log of a hundred thousand records then hashes into
 * a few megabytes instead of the whole buffer: probes stay in the CPU caches, only that part is
 * zeroed between logs, and memory is taken only as the largest log so far needs it.
 */
public final class OffsetMap {
    static final int DIGEST_BYTES = 16;
    static final int SLOT_BYTES = DIGEST_BYTES + Long.BYTES;
    static final double LOAD_FACTOR = 0.9;

    /** Below this many slots a table is not worth sizing down further. */
    private static final int MIN_SLOTS = 1024;

    private final int maxSlots;
    private static final int LONGS_PER_SLOT = 3;

    private long[] slots = new long[0];
    private int slotCount;
    private int maxEntries;
    private final MessageDigest md5;
    private final byte[] digest = new byte[DIGEST_BYTES];
    private final ByteBuffer digestView = ByteBuffer.wrap(digest);
    private int entries;

    /**
     * An empty map, allocating nothing until {@link #reset}.
     *
     * @param bufferBytes memory for the table at most; holds up to {@code bufferBytes / 24 * 0.9} keys
     */
    public OffsetMap(int bufferBytes) {
        this.maxSlots = bufferBytes / SLOT_BYTES;
        if (maxSlots < 1) {
            throw new IllegalArgumentException("An offset map needs at least " + SLOT_BYTES + " bytes");
        }
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has MD5", e);
        }
    }

    /** Records {@code offset} as the latest of {@code key} (offsets are put in increasing order). */
    public void put(ByteBuffer key, long offset) {
        int at = findSlot(key) * LONGS_PER_SLOT;
        if (slots[at + 2] == 0) {
            if (entries >= maxEntries) {
                throw new IllegalStateException("Offset map is full (" + maxEntries + " keys)");
            }
            slots[at] = digestView.getLong(0);
            slots[at + 1] = digestView.getLong(Long.BYTES);
            entries++;
        }
        slots[at + 2] = offset + 1;
    }

    /** The latest offset put for {@code key}, or -1 when the key is not in the map. */
    public long get(ByteBuffer key) {
        return slots[findSlot(key) * LONGS_PER_SLOT + 2] - 1;
    }

    /** Whether {@code keys} more distinct keys still fit. */
    public boolean hasRoomFor(int keys) {
        return entries + (long) keys <= maxEntries;
    }

    public int size() {
        return entries;
    }

    public int capacity() {
        return maxEntries;
    }

    /**
     * Empties the map and sizes it for {@code expectedKeys} distinct keys at most (the buffer
     * size permitting): zeroes the part of the table it will use, and allocates only when that is
     * more than was ever allocated before.
     */
    public void reset(long expectedKeys) {
        long wanted = Math.max(MIN_SLOTS, (long) Math.ceil(expectedKeys / LOAD_FACTOR) + 1);
        slotCount = (int) Math.min(maxSlots, wanted);
        maxEntries = Math.max(1, (int) (slotCount * LOAD_FACTOR));
        int longs = slotCount * LONGS_PER_SLOT;
        if (slots.length < longs) {
            // Grow in powers of two so that logs of slowly growing size do not reallocate each time.
            long grown = Math.min((long) maxSlots * LONGS_PER_SLOT, Long.highestOneBit(longs - 1L) << 1);
            slots = new long[(int) Math.max(longs, grown)];
        } else {
            java.util.Arrays.fill(slots, 0, longs, 0L);
        }
        entries = 0;
    }

    /** The slot holding {@code key}'s digest, or the empty slot where it would go; leaves the digest in {@link #digest}. */
    private int findSlot(ByteBuffer key) {
        md5.update(key.duplicate());
        try {
            md5.digest(digest, 0, DIGEST_BYTES);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        long high = digestView.getLong(0);
        long low = digestView.getLong(Long.BYTES);
        int slot = (int) Long.remainderUnsigned(high ^ low, slotCount);
        while (true) {
            int at = slot * LONGS_PER_SLOT;
            if (slots[at + 2] == 0 || (slots[at] == high && slots[at + 1] == low)) {
                return slot;
            }
            slot = slot + 1 == slotCount ? 0 : slot + 1;
        }
    }
}
