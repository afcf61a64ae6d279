package io.gregor.protocol.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A view over one magic-2 record batch inside a {@link ByteBuffer}; it copies nothing and reads
 * fields on demand, so a batch can be inspected and patched where it lies (in a request frame
 * or a mapped segment). All fields are big-endian.
 *
 * <pre>
 * offset size field
 *      0    8 baseOffset             -- not covered by the CRC
 *      8    4 batchLength            -- bytes after this field
 *     12    4 partitionLeaderEpoch   -- not covered by the CRC
 *     16    1 magic (2)
 *     17    4 crc                    -- CRC32C of attributes..end of batch
 *     21    2 attributes             -- bits 0-2 compression, 3 timestamp type,
 *                                       4 transactional, 5 control, 6 delete horizon set
 *     23    4 lastOffsetDelta
 *     27    8 baseTimestamp          -- the delete horizon when bit 6 is set
 *     35    8 maxTimestamp
 *     43    8 producerId
 *     51    2 producerEpoch
 *     53    4 baseSequence
 *     57    4 recordsCount
 *     61      records (compressed as a whole when compression is not NONE)
 * </pre>
 *
 * <p>Because the CRC leaves out baseOffset and partitionLeaderEpoch, the broker assigns both
 * with {@link #setBaseOffset} and {@link #setPartitionLeaderEpoch} without touching the CRC.
 *
 * <p>Not thread-safe: a view is used by one thread; setters write the underlying buffer.
 */
public final class RecordBatch {
    public static final byte MAGIC = 2;
    /** baseOffset + batchLength: the bytes not counted by batchLength. */
    public static final int LOG_OVERHEAD = 12;
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;
    /** Size of a batch with no records. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;

    /** producerId of a batch from a non-idempotent producer. */
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    static final int COMPRESSION_MASK = 0x07;
    static final int TIMESTAMP_TYPE_MASK = 0x08;
    static final int TRANSACTIONAL_MASK = 0x10;
    static final int CONTROL_MASK = 0x20;
    static final int DELETE_HORIZON_MASK = 0x40;

    private ByteBuffer buffer;
    private int start;

    private RecordBatch(ByteBuffer buffer, int start) {
        wrap(buffer, start);
    }

    /**
     * A view of the batch starting at {@code buffer.position()}. The header must be present;
     * use {@link RecordBatchIterator} to walk buffers that may end in a partial batch.
     *
     * @throws UnsupportedMagicException if the batch is not magic 2
     * @throws CorruptRecordException if the header is cut short or batchLength is impossible
     */
    public static RecordBatch of(ByteBuffer buffer) {
        return at(buffer, buffer.position());
    }

    /** A view of the batch starting at absolute index {@code start} of {@code buffer}. */
    public static RecordBatch at(ByteBuffer buffer, int start) {
        return new RecordBatch(buffer, start);
    }

    /**
     * The batches in {@code buffer}'s position..limit, in order, never moving its position.
     * Iteration throws {@link TruncatedBatchException} if the bytes end inside a batch; use
     * {@link RecordBatchIterator#lenient} to stop quietly there instead.
     */
    public static Iterable<RecordBatch> batches(ByteBuffer buffer) {
        return () -> RecordBatchIterator.strict(buffer);
    }

    /** Re-points this view at another batch (lets a loop reuse one view). */
    public RecordBatch wrap(ByteBuffer buffer, int start) {
        int available = buffer.limit() - start;
        if (available < HEADER_SIZE) {
            if (available > MAGIC_OFFSET && buffer.get(start + MAGIC_OFFSET) != MAGIC) {
                throw new UnsupportedMagicException(buffer.get(start + MAGIC_OFFSET));
            }
            throw new CorruptRecordException("Record batch header needs " + HEADER_SIZE
                    + " bytes but only " + available + " remain");
        }
        this.buffer = buffer.order() == ByteOrder.BIG_ENDIAN ? buffer : buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.start = start;
        byte magic = magic();
        if (magic != MAGIC) {
            throw new UnsupportedMagicException(magic);
        }
        int length = batchLength();
        if (length < HEADER_SIZE - LOG_OVERHEAD) {
            throw new CorruptRecordException("Record batch length " + length + " is smaller than the batch header");
        }
        if (length > Integer.MAX_VALUE - LOG_OVERHEAD) {
            throw new CorruptRecordException("Record batch length " + length + " is impossibly large");
        }
        return this;
    }

    /** The buffer this view reads; the batch spans {@link #start()}..start+sizeInBytes. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the batch's first byte in {@link #buffer()}. */
    public int start() {
        return start;
    }

    /** The batch's bytes as an independent slice (shares content, not position). */
    public ByteBuffer slice() {
        return buffer.slice(start, sizeInBytes());
    }

    public long baseOffset() {
        return buffer.getLong(start + BASE_OFFSET_OFFSET);
    }

    public int batchLength() {
        return buffer.getInt(start + LENGTH_OFFSET);
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(start + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(start + MAGIC_OFFSET);
    }

    /** The stored CRC, an unsigned 32-bit value. */
    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(start + CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(start + ATTRIBUTES_OFFSET);
    }

    public int lastOffsetDelta() {
        return buffer.getInt(start + LAST_OFFSET_DELTA_OFFSET);
    }

    /** First timestamp of the batch, or the delete horizon when {@link #hasDeleteHorizon()}. */
    public long baseTimestamp() {
        return buffer.getLong(start + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(start + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(start + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(start + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(start + BASE_SEQUENCE_OFFSET);
    }

    /** Sequence of the last record, wrapping past Integer.MAX_VALUE as producers do. */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public int recordsCount() {
        return buffer.getInt(start + RECORDS_COUNT_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    public int sizeInBytes() {
        return batchLength() + LOG_OVERHEAD;
    }

    public CompressionType compressionType() {
        return CompressionType.forId(attributes() & COMPRESSION_MASK);
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) == 0 ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_MASK) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_MASK) != 0;
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_MASK) != 0;
    }

    /** The time after which compaction may drop this batch's tombstones, when one was set. */
    public OptionalLong deleteHorizonMs() {
        return hasDeleteHorizon() ? OptionalLong.of(baseTimestamp()) : OptionalLong.empty();
    }

    public boolean hasProducerId() {
        return producerId() != NO_PRODUCER_ID;
    }

    /** CRC32C of attributes..end of batch, as it should be stored. */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(start + ATTRIBUTES_OFFSET, sizeInBytes() - ATTRIBUTES_OFFSET));
        return crc.getValue();
    }

    /** True when the whole batch is in the buffer and its CRC matches. */
    public boolean isValid() {
        return sizeInBytes() <= buffer.limit() - start && checksum() == computeChecksum();
    }

    /** @throws CorruptRecordException if the batch is cut short or its CRC does not match */
    public void ensureValid() {
        int available = buffer.limit() - start;
        if (sizeInBytes() > available) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset() + " is " + sizeInBytes()
                    + " bytes but only " + available + " are present");
        }
        long computed = computeChecksum();
        if (checksum() != computed) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset() + " is corrupt: stored CRC "
                    + checksum() + ", computed " + computed);
        }
    }

    /**
     * The batch's records, decompressed when the batch is compressed (each call to
     * {@code iterator()} decompresses anew into one heap buffer the records then slice).
     * Iteration throws {@link CorruptRecordException} when the records do not match the
     * header's count or are malformed; it does not check the CRC.
     */
    public Iterable<Record> records() {
        return () -> new RecordIterator(uncompressedRecords(), this, null);
    }

    /**
     * Visits every record through one reused {@link Record} instance: no allocation per record
     * (a compressed batch is still decompressed into one buffer). The visitor must not keep
     * the record; copy what it needs. Same checks as {@link #records()}.
     */
    public void forEachRecord(Consumer<Record> visitor) {
        RecordIterator records = new RecordIterator(uncompressedRecords(), this, new Record());
        while (records.hasNext()) {
            visitor.accept(records.next());
        }
    }

    /**
     * Like {@link #forEachRecord(Consumer)} but a compressed batch may inflate to at most
     * {@code maxUncompressedBytes}; beyond that it fails with {@link CorruptRecordException}
     * instead of filling the heap.
     */
    public void forEachRecord(int maxUncompressedBytes, Consumer<Record> visitor) {
        CompressionType compression = compressionType();
        ByteBuffer section = recordsSection();
        ByteBuffer records = compression == CompressionType.NONE ? section
                : compression.decompress(section, maxUncompressedBytes);
        RecordIterator iterator = new RecordIterator(records, this, new Record());
        while (iterator.hasNext()) {
            visitor.accept(iterator.next());
        }
    }

    /** The records section as stored: compressed bytes when {@link #compressionType()} is not NONE. */
    public ByteBuffer recordsSection() {
        int available = buffer.limit() - start;
        if (sizeInBytes() > available) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset() + " is " + sizeInBytes()
                    + " bytes but only " + available + " are present");
        }
        return buffer.slice(start + RECORDS_OFFSET, sizeInBytes() - RECORDS_OFFSET);
    }

    private ByteBuffer uncompressedRecords() {
        CompressionType compression = compressionType();
        ByteBuffer section = recordsSection();
        return compression == CompressionType.NONE ? section : compression.decompress(section);
    }

    /** Patches baseOffset in place; the CRC does not cover it, so it stays valid. */
    public void setBaseOffset(long baseOffset) {
        buffer.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Patches partitionLeaderEpoch in place; the CRC does not cover it, so it stays valid. */
    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Sets the timestamp type and maxTimestamp, rewriting the CRC since both are covered by it.
     * The broker calls this with {@link TimestampType#LOG_APPEND_TIME} and its clock when a
     * topic uses log append time; record timestamps are left as they are (readers take the
     * batch's maxTimestamp for every record of a LogAppendTime batch).
     */
    public void setMaxTimestamp(TimestampType type, long maxTimestamp) {
        if (timestampType() == type && maxTimestamp() == maxTimestamp) {
            return;
        }
        int attributes = attributes() & ~TIMESTAMP_TYPE_MASK;
        if (type == TimestampType.LOG_APPEND_TIME) {
            attributes |= TIMESTAMP_TYPE_MASK;
        }
        buffer.putShort(start + ATTRIBUTES_OFFSET, (short) attributes);
        buffer.putLong(start + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        writeChecksum();
    }

    /** Recomputes and stores the CRC, after a builder or a rewrite changed covered bytes. */
    void writeChecksum() {
        buffer.putInt(start + CRC_OFFSET, (int) computeChecksum());
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size=" + sizeInBytes()
                + ", compression=" + compressionType() + ", records=" + recordsCount() + ")";
    }
}
