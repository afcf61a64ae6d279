package io.gregor.protocol.record;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one magic-2 record batch in memory: configure, append records, {@link #build()}.
 * Records are encoded (and compressed) as they are appended; build() fills in the header and
 * the CRC. Used by tests, by the broker for control batches, and by compaction to rewrite
 * batches. Configuration must precede the first append. Not thread-safe; single use.
 *
 * <p>Offsets: {@link #append} gives consecutive offsets from the base offset;
 * {@link #appendWithOffset} keeps given, increasing offsets (compaction leaves gaps). Without
 * {@link #baseOffset(long)} the base offset is the first record's.
 */
public final class MemoryRecordsBuilder {
    private static final int NULL_LENGTH = -1;

    private CompressionType compression = CompressionType.NONE;
    private int compressionLevel = CompressionType.NONE.defaultLevel();
    private long baseOffset;
    private boolean baseOffsetSet;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long logAppendTime = RecordBatch.NO_TIMESTAMP;
    private boolean deleteHorizonSet;
    private long deleteHorizonMs;
    private boolean lastOffsetKept;
    private long keptLastOffset;

    private GrowableOutputStream out;
    private OutputStream recordsOut;
    private ByteBuffer scratch = ByteBuffer.allocate(256);
    private final List<byte[]> headerKeys = new ArrayList<>();
    private int recordCount;
    private long lastOffset;
    private long baseTimestamp;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private int uncompressedRecordBytes;
    private boolean built;

    private MemoryRecordsBuilder() {
    }

    public static MemoryRecordsBuilder builder() {
        return new MemoryRecordsBuilder();
    }

    public MemoryRecordsBuilder compression(CompressionType compression) {
        return compression(compression, compression.defaultLevel());
    }

    /** @param level codec level, see {@link CompressionType#defaultLevel()} */
    public MemoryRecordsBuilder compression(CompressionType compression, int level) {
        ensureConfigurable();
        this.compression = compression;
        this.compressionLevel = level;
        return this;
    }

    public MemoryRecordsBuilder baseOffset(long baseOffset) {
        ensureConfigurable();
        this.baseOffset = baseOffset;
        this.baseOffsetSet = true;
        return this;
    }

    public MemoryRecordsBuilder partitionLeaderEpoch(int partitionLeaderEpoch) {
        ensureConfigurable();
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        return this;
    }

    /** Marks the batch as written by an idempotent producer; {@code baseSequence} is the first record's. */
    public MemoryRecordsBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        ensureConfigurable();
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public MemoryRecordsBuilder transactional(boolean transactional) {
        ensureConfigurable();
        this.transactional = transactional;
        return this;
    }

    public MemoryRecordsBuilder controlBatch(boolean control) {
        ensureConfigurable();
        this.control = control;
        return this;
    }

    /** Stamps the batch LOG_APPEND_TIME with this maxTimestamp (record timestamps are kept as given). */
    public MemoryRecordsBuilder logAppendTime(long logAppendTime) {
        ensureConfigurable();
        this.timestampType = TimestampType.LOG_APPEND_TIME;
        this.logAppendTime = logAppendTime;
        return this;
    }

    /** Sets the delete horizon (compaction), stored as baseTimestamp with attribute bit 6. */
    public MemoryRecordsBuilder deleteHorizon(long deleteHorizonMs) {
        ensureConfigurable();
        this.deleteHorizonSet = true;
        this.deleteHorizonMs = deleteHorizonMs;
        return this;
    }

    /**
     * Keeps a rewritten batch's original offset range (compaction): the header's lastOffsetDelta
     * reaches {@code lastOffset} whatever records remain, so an idempotent producer's sequence
     * range stays whole, and {@link #build()} of a batch left with no record still writes its
     * header (with {@link #baseOffset(long)} and the producer fields). Needs a base offset.
     */
    public MemoryRecordsBuilder keepLastOffset(long lastOffset) {
        ensureConfigurable();
        this.lastOffsetKept = true;
        this.keptLastOffset = lastOffset;
        return this;
    }

    /** Appends a record at the next offset and returns that offset. */
    public long append(long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {
        long offset = recordCount == 0 ? baseOffset : lastOffset + 1;
        appendWithOffset(offset, timestamp, key, value, headers);
        return offset;
    }

    public long append(long timestamp, byte[] key, byte[] value, Header... headers) {
        return append(timestamp, wrap(key), wrap(value), Arrays.asList(headers));
    }

    /**
     * Appends a transaction marker; the batch must be configured as a control batch.
     *
     * @return the marker's offset
     */
    public long appendEndTransactionMarker(long timestamp, ControlRecordType type, int coordinatorEpoch) {
        if (!control) {
            throw new IllegalStateException("Transaction markers belong in a control batch");
        }
        return append(timestamp, type.key(), ControlRecordType.markerValue(coordinatorEpoch), List.of());
    }

    /**
     * Appends a record with a given offset, greater than any appended before.
     *
     * @param key null for no key
     * @param value null for a tombstone
     */
    public void appendWithOffset(long offset, long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {
        if (built) {
            throw new IllegalStateException("Batch already built");
        }
        if (recordCount == 0) {
            start(offset, timestamp);
        } else if (offset <= lastOffset) {
            throw new IllegalArgumentException("Offset " + offset + " is not after the last appended " + lastOffset);
        }
        long offsetDelta = offset - baseOffset;
        if (offsetDelta < 0 || offsetDelta > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " is out of range for base offset " + baseOffset);
        }
        writeRecord((int) offsetDelta, timestamp - baseTimestamp, key, value, headers);
        recordCount++;
        lastOffset = offset;
        maxTimestamp = recordCount == 1 ? timestamp : Math.max(maxTimestamp, timestamp);
    }

    public int recordCount() {
        return recordCount;
    }

    /** Encoded size of the records so far before compression (to decide when a batch is full). */
    public int uncompressedSizeInBytes() {
        return RecordBatch.HEADER_SIZE + uncompressedRecordBytes;
    }

    /** The batch, with a valid CRC, or {@link MemoryRecords#EMPTY} if nothing was appended. */
    public MemoryRecords build() {
        if (built) {
            throw new IllegalStateException("Batch already built");
        }
        built = true;
        if (lastOffsetKept) {
            if (!baseOffsetSet || keptLastOffset < baseOffset || (recordCount > 0 && keptLastOffset < lastOffset)) {
                throw new IllegalStateException("Kept last offset " + keptLastOffset + " does not cover the batch");
            }
            if (recordCount == 0) {
                return new MemoryRecords(emptyBatch());
            }
            lastOffset = keptLastOffset;
        } else if (recordCount == 0) {
            return MemoryRecords.EMPTY;
        }
        try {
            recordsOut.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer batch = out.toByteBuffer();
        writeHeader(batch);
        RecordBatch.of(batch).writeChecksum();
        return new MemoryRecords(batch);
    }

    /** A header with no records: what is left of a batch whose records were all compacted away. */
    private ByteBuffer emptyBatch() {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        compression = CompressionType.NONE; // nothing to compress; consumers skip empty batches
        baseTimestamp = deleteHorizonSet ? deleteHorizonMs : RecordBatch.NO_TIMESTAMP;
        lastOffset = keptLastOffset;
        writeHeader(batch);
        RecordBatch.of(batch).writeChecksum();
        return batch;
    }

    private void start(long firstOffset, long firstTimestamp) {
        if (!baseOffsetSet) {
            baseOffset = firstOffset;
        } else if (firstOffset < baseOffset) {
            throw new IllegalArgumentException("Offset " + firstOffset + " is before the base offset " + baseOffset);
        }
        baseTimestamp = deleteHorizonSet ? deleteHorizonMs : firstTimestamp;
        out = new GrowableOutputStream(RecordBatch.HEADER_SIZE + 256);
        out.reserve(RecordBatch.HEADER_SIZE);
        try {
            recordsOut = compression.wrapForOutput(out, compressionLevel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeRecord(int offsetDelta, long timestampDelta, ByteBuffer key, ByteBuffer value,
                             List<Header> headers) {
        headerKeys.clear();
        int bodySize = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta)
                + sizeOfBytes(key) + sizeOfBytes(value) + Varints.sizeOfVarint(headers.size());
        for (Header header : headers) {
            byte[] headerKey = header.key().getBytes(StandardCharsets.UTF_8);
            headerKeys.add(headerKey);
            bodySize += Varints.sizeOfVarint(headerKey.length) + headerKey.length + sizeOfBytes(header.value());
        }
        int recordSize = Varints.sizeOfVarint(bodySize) + bodySize;
        if (scratch.capacity() < recordSize) {
            scratch = ByteBuffer.allocate(Math.max(recordSize, scratch.capacity() * 2));
        }
        scratch.clear();
        Varints.writeVarint(scratch, bodySize);
        scratch.put((byte) 0);
        Varints.writeVarlong(scratch, timestampDelta);
        Varints.writeVarint(scratch, offsetDelta);
        writeBytes(scratch, key);
        writeBytes(scratch, value);
        Varints.writeVarint(scratch, headers.size());
        for (int i = 0; i < headers.size(); i++) {
            byte[] headerKey = headerKeys.get(i);
            Varints.writeVarint(scratch, headerKey.length);
            scratch.put(headerKey);
            writeBytes(scratch, headers.get(i).value());
        }
        try {
            recordsOut.write(scratch.array(), 0, scratch.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        uncompressedRecordBytes += recordSize;
    }

    private static int sizeOfBytes(ByteBuffer bytes) {
        return bytes == null ? Varints.sizeOfVarint(NULL_LENGTH)
                : Varints.sizeOfVarint(bytes.remaining()) + bytes.remaining();
    }

    private static void writeBytes(ByteBuffer out, ByteBuffer bytes) {
        if (bytes == null) {
            Varints.writeVarint(out, NULL_LENGTH);
        } else {
            Varints.writeVarint(out, bytes.remaining());
            out.put(bytes.duplicate());
        }
    }

    private void writeHeader(ByteBuffer batch) {
        int attributes = compression.id();
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            attributes |= RecordBatch.TIMESTAMP_TYPE_MASK;
        }
        if (transactional) {
            attributes |= RecordBatch.TRANSACTIONAL_MASK;
        }
        if (control) {
            attributes |= RecordBatch.CONTROL_MASK;
        }
        if (deleteHorizonSet) {
            attributes |= RecordBatch.DELETE_HORIZON_MASK;
        }
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        batch.putInt(RecordBatch.LENGTH_OFFSET, batch.remaining() - RecordBatch.LOG_OVERHEAD);
        batch.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes);
        batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, (int) (lastOffset - baseOffset));
        batch.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        batch.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET,
                timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp);
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        batch.putInt(RecordBatch.RECORDS_COUNT_OFFSET, recordCount);
    }

    private void ensureConfigurable() {
        if (recordCount > 0 || built) {
            throw new IllegalStateException("Configure the batch before appending records");
        }
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }
}
