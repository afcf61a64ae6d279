package io.gregor.storage.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Field positions of a magic-2 record batch header and absolute-position accessors over a
 * ByteBuffer, for the storage layer's header walks. It reads and patches headers only; record
 * contents stay opaque (see {@link RecordTimestamps} for the one place that looks inside).
 * <p>
 * Interim: to be replaced by {@code io.gregor.protocol.record.RecordBatch} once that lands.
 * <pre>
 * baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
 * attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
 * producerId int64 | producerEpoch int16 | baseSequence int32 | recordsCount int32 | records
 * </pre>
 * The CRC32C covers attributes..end, so baseOffset and partitionLeaderEpoch can be patched
 * without recomputing it.
 */
public final class BatchLayout {
    public static final int BASE_OFFSET = 0;
    public static final int LENGTH = 8;
    public static final int PARTITION_LEADER_EPOCH = 12;
    public static final int MAGIC = 16;
    public static final int CRC = 17;
    public static final int ATTRIBUTES = 21;
    public static final int LAST_OFFSET_DELTA = 23;
    public static final int BASE_TIMESTAMP = 27;
    public static final int MAX_TIMESTAMP = 35;
    public static final int RECORDS_COUNT = 57;
    public static final int HEADER_SIZE = 61;
    /** baseOffset and batchLength: enough to walk from one batch to the next. */
    public static final int LOG_OVERHEAD = 12;
    public static final byte CURRENT_MAGIC = 2;
    public static final long NO_TIMESTAMP = -1L;

    private static final int COMPRESSION_MASK = 0x07;
    private static final int LOG_APPEND_TIME_FLAG = 0x08;

    private BatchLayout() {
    }

    public static long baseOffset(ByteBuffer buf, int pos) {
        return buf.getLong(pos + BASE_OFFSET);
    }

    /** Whole batch size including the 12-byte log overhead. */
    public static int sizeInBytes(ByteBuffer buf, int pos) {
        return LOG_OVERHEAD + buf.getInt(pos + LENGTH);
    }

    public static int lastOffsetDelta(ByteBuffer buf, int pos) {
        return buf.getInt(pos + LAST_OFFSET_DELTA);
    }

    public static long lastOffset(ByteBuffer buf, int pos) {
        return baseOffset(buf, pos) + lastOffsetDelta(buf, pos);
    }

    public static byte magic(ByteBuffer buf, int pos) {
        return buf.get(pos + MAGIC);
    }

    public static int partitionLeaderEpoch(ByteBuffer buf, int pos) {
        return buf.getInt(pos + PARTITION_LEADER_EPOCH);
    }

    public static short attributes(ByteBuffer buf, int pos) {
        return buf.getShort(pos + ATTRIBUTES);
    }

    public static boolean isCompressed(ByteBuffer buf, int pos) {
        return (attributes(buf, pos) & COMPRESSION_MASK) != 0;
    }

    public static boolean isLogAppendTime(ByteBuffer buf, int pos) {
        return (attributes(buf, pos) & LOG_APPEND_TIME_FLAG) != 0;
    }

    public static long baseTimestamp(ByteBuffer buf, int pos) {
        return buf.getLong(pos + BASE_TIMESTAMP);
    }

    public static long maxTimestamp(ByteBuffer buf, int pos) {
        return buf.getLong(pos + MAX_TIMESTAMP);
    }

    public static int recordsCount(ByteBuffer buf, int pos) {
        return buf.getInt(pos + RECORDS_COUNT);
    }

    public static long storedCrc(ByteBuffer buf, int pos) {
        return Integer.toUnsignedLong(buf.getInt(pos + CRC));
    }

    public static long computeCrc(ByteBuffer buf, int pos) {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = buf.duplicate();
        covered.limit(pos + sizeInBytes(buf, pos)).position(pos + ATTRIBUTES);
        crc.update(covered);
        return crc.getValue();
    }

    public static boolean isCrcValid(ByteBuffer buf, int pos) {
        return storedCrc(buf, pos) == computeCrc(buf, pos);
    }

    public static void setBaseOffset(ByteBuffer buf, int pos, long baseOffset) {
        buf.putLong(pos + BASE_OFFSET, baseOffset);
    }

    public static void setPartitionLeaderEpoch(ByteBuffer buf, int pos, int epoch) {
        buf.putInt(pos + PARTITION_LEADER_EPOCH, epoch);
    }

    /** Marks the batch LogAppendTime with {@code timestamp} as its max timestamp; recomputes the CRC. */
    public static void setLogAppendTime(ByteBuffer buf, int pos, long timestamp) {
        buf.putShort(pos + ATTRIBUTES, (short) (attributes(buf, pos) | LOG_APPEND_TIME_FLAG));
        buf.putLong(pos + MAX_TIMESTAMP, timestamp);
        buf.putInt(pos + CRC, (int) computeCrc(buf, pos));
    }
}
