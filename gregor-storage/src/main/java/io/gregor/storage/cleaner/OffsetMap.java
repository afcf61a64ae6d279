package io.gregor.storage.cleaner;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The latest offset of each key of a log's dirty section, in a fixed buffer allocated once:
 * an open-addressing hash table (linear probing) of 24-byte slots, each the 16-byte MD5 digest
 * of a key and the offset plus one (zero marks an empty slot). Keys themselves are never kept,
 * so memory is bounded by {@code log.cleaner.dedupe.buffer.size} whatever the key sizes; two
 * keys with the same 128-bit digest would be taken for one, a chance too small to matter.
 * <p>
 * The table is never filled beyond {@link #LOAD_FACTOR} so probes stay short; callers check
 * {@link #hasRoomFor} before adding a batch's records. Not thread-safe: one per cleaner thread.
 */
public final class OffsetMap {
    static final int DIGEST_BYTES = 16;
    static final int SLOT_BYTES = DIGEST_BYTES + Long.BYTES;
    static final double LOAD_FACTOR = 0.9;

    private final ByteBuffer slots;
    private final int slotCount;
    private final int maxEntries;
    private final MessageDigest md5;
    private final byte[] digest = new byte[DIGEST_BYTES];
    private final ByteBuffer digestView = ByteBuffer.wrap(digest);
    private int entries;

    /** @param bufferBytes memory for the table; holds {@code bufferBytes / 24 * 0.9} keys */
    public OffsetMap(int bufferBytes) {
        this.slotCount = bufferBytes / SLOT_BYTES;
        if (slotCount < 1) {
            throw new IllegalArgumentException("An offset map needs at least " + SLOT_BYTES + " bytes");
        }
        this.slots = ByteBuffer.allocate(slotCount * SLOT_BYTES);
        this.maxEntries = Math.max(1, (int) (slotCount * LOAD_FACTOR));
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has MD5", e);
        }
    }

    /** Records {@code offset} as the latest of {@code key} (offsets are put in increasing order). */
    public void put(ByteBuffer key, long offset) {
        int slot = findSlot(key);
        int at = slot * SLOT_BYTES;
        if (slots.getLong(at + DIGEST_BYTES) == 0) {
            if (entries >= maxEntries) {
                throw new IllegalStateException("Offset map is full (" + maxEntries + " keys)");
            }
            slots.putLong(at, digestView.getLong(0));
            slots.putLong(at + Long.BYTES, digestView.getLong(Long.BYTES));
            entries++;
        }
        slots.putLong(at + DIGEST_BYTES, offset + 1);
    }

    /** The latest offset put for {@code key}, or -1 when the key is not in the map. */
    public long get(ByteBuffer key) {
        int at = findSlot(key) * SLOT_BYTES;
        return slots.getLong(at + DIGEST_BYTES) - 1;
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

    /** Empties the map for the next log (zeroes the buffer; no allocation). */
    public void clear() {
        java.util.Arrays.fill(slots.array(), (byte) 0);
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
            int at = slot * SLOT_BYTES;
            if (slots.getLong(at + DIGEST_BYTES) == 0
                    || (slots.getLong(at) == high && slots.getLong(at + Long.BYTES) == low)) {
                return slot;
            }
            slot = slot + 1 == slotCount ? 0 : slot + 1;
        }
    }
}
