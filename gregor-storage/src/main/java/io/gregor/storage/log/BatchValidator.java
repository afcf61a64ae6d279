package io.gregor.storage.log;

import java.nio.ByteBuffer;

/**
 * Checks the batches of an append before any offset is assigned, reading headers only (plus the
 * CRC32C pass over each batch): framing, magic 2, size against max.message.bytes and the segment
 * size, offset delta against record count for client appends, and CreateTime timestamps against
 * message.timestamp.before/after.max.ms (batch-level: base and max timestamp). Stateless.
 */
final class BatchValidator {
    private BatchValidator() {
    }

    /** Returns the number of offsets the batches take; throws the {@link LogException} to answer with. */
    static int validate(ByteBuffer buffer, LogConfig config, AppendContext.Origin origin, long nowMs) {
        int position = buffer.position();
        int end = buffer.limit();
        if (position == end) {
            throw new InvalidRecordException("An append must hold at least one record batch");
        }
        if (end - position > config.segmentBytes()) {
            throw new RecordBatchTooLargeException("Append of " + (end - position)
                    + " bytes is larger than the segment size " + config.segmentBytes());
        }
        int offsets = 0;
        while (position < end) {
            if (end - position < BatchLayout.HEADER_SIZE) {
                throw new CorruptRecordException("Truncated record batch header at byte " + position);
            }
            int size = BatchLayout.sizeInBytes(buffer, position);
            if (size < BatchLayout.HEADER_SIZE || size > end - position) {
                throw new CorruptRecordException("Record batch at byte " + position + " has invalid length " + size);
            }
            byte magic = BatchLayout.magic(buffer, position);
            if (magic != BatchLayout.CURRENT_MAGIC) {
                throw new InvalidRecordException("Record batch magic " + magic + " is not supported; only magic 2");
            }
            if (size > config.maxMessageBytes()) {
                throw new RecordTooLargeException("Record batch of " + size + " bytes is larger than max.message.bytes "
                        + config.maxMessageBytes());
            }
            if (!BatchLayout.isCrcValid(buffer, position)) {
                throw new CorruptRecordException("Record batch at byte " + position + " fails its CRC32C check");
            }
            int lastOffsetDelta = BatchLayout.lastOffsetDelta(buffer, position);
            if (origin == AppendContext.Origin.CLIENT) {
                int records = BatchLayout.recordsCount(buffer, position);
                if (records <= 0 || lastOffsetDelta != records - 1) {
                    throw new InvalidRecordException("Record batch holds " + records
                            + " records but its last offset delta is " + lastOffsetDelta);
                }
                if (!config.logAppendTime()) {
                    checkTimestamps(buffer, position, config, nowMs);
                }
            }
            offsets += lastOffsetDelta + 1;
            position += size;
        }
        return offsets;
    }

    private static void checkTimestamps(ByteBuffer buffer, int position, LogConfig config, long nowMs) {
        long max = BatchLayout.maxTimestamp(buffer, position);
        long base = BatchLayout.baseTimestamp(buffer, position);
        if (max != BatchLayout.NO_TIMESTAMP && max - nowMs > config.messageTimestampAfterMaxMs()) {
            throw new InvalidTimestampException("Timestamp " + max + " is more than message.timestamp.after.max.ms "
                    + config.messageTimestampAfterMaxMs() + " ahead of the broker's time " + nowMs);
        }
        if (base != BatchLayout.NO_TIMESTAMP && nowMs - base > config.messageTimestampBeforeMaxMs()) {
            throw new InvalidTimestampException("Timestamp " + base + " is more than message.timestamp.before.max.ms "
                    + config.messageTimestampBeforeMaxMs() + " behind the broker's time " + nowMs);
        }
    }
}
