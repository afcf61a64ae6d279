package io.gregor.storage.log;

import io.gregor.protocol.record.RecordBatch;
import io.gregor.protocol.record.UnsupportedMagicException;
import java.nio.ByteBuffer;

/**
 * Checks the batches of an append before any offset is assigned, reading headers only (plus the
 * CRC32C pass over each batch): framing, magic 2, size against max.message.bytes and the segment
 * size, offset delta against record count for client appends, and CreateTime timestamps against
 * message.timestamp.before/after.max.ms (batch-level: base and max timestamp), and that clients
 * send no control batch (only the broker writes transaction markers). Only on compacted topics
 * are records opened, to check that each has a key. Stateless.
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
        RecordBatch batch = null;
        while (position < end) {
            batch = view(batch, buffer, position);
            int size = batch.sizeInBytes();
            if (size > end - position) {
                throw new CorruptRecordException("Record batch at byte " + position + " has length " + size
                        + " but only " + (end - position) + " bytes remain");
            }
            if (size > config.maxMessageBytes()) {
                throw new RecordTooLargeException("Record batch of " + size + " bytes is larger than max.message.bytes "
                        + config.maxMessageBytes(), BatchDefect.TOO_LARGE);
            }
            if (!batch.isValid()) {
                throw new CorruptRecordException("Record batch at byte " + position + " fails its CRC32C check",
                        BatchDefect.CRC);
            }
            if (origin == AppendContext.Origin.CLIENT && batch.isControlBatch()) {
                throw new InvalidRecordException("Clients may not append control batches");
            }
            if (origin != AppendContext.Origin.REPLICATION) {
                if (batch.recordsCount() <= 0 || batch.lastOffsetDelta() != batch.recordsCount() - 1) {
                    throw new InvalidRecordException("Record batch holds " + batch.recordsCount()
                            + " records but its last offset delta is " + batch.lastOffsetDelta(), BatchDefect.OFFSETS);
                }
                if (!config.logAppendTime()) {
                    checkTimestamps(batch, config, nowMs);
                }
                if (config.compactEnabled()) {
                    requireKeys(batch);
                }
            }
            offsets += batch.lastOffsetDelta() + 1;
            position += size;
        }
        return offsets;
    }

    private static RecordBatch view(RecordBatch reused, ByteBuffer buffer, int position) {
        try {
            return reused == null ? RecordBatch.at(buffer, position) : reused.wrap(buffer, position);
        } catch (UnsupportedMagicException e) {
            throw new InvalidRecordException("Only magic 2 record batches are supported: " + e.getMessage(),
                    BatchDefect.MAGIC);
        } catch (io.gregor.protocol.record.CorruptRecordException e) {
            throw new CorruptRecordException("Malformed record batch at byte " + position + ": " + e.getMessage());
        }
    }

    /** Compaction keeps the newest record per key, so a compacted topic refuses records without one. */
    private static void requireKeys(RecordBatch batch) {
        boolean[] missing = {false};
        try {
            batch.forEachRecord(record -> missing[0] |= !record.hasKey());
        } catch (io.gregor.protocol.record.CorruptRecordException e) {
            throw new CorruptRecordException("Malformed records in batch: " + e.getMessage());
        }
        if (missing[0]) {
            throw new InvalidRecordException("A compacted topic cannot accept a record without a key",
                    BatchDefect.NO_KEY_ON_COMPACTED_TOPIC);
        }
    }

    private static void checkTimestamps(RecordBatch batch, LogConfig config, long nowMs) {
        long max = batch.maxTimestamp();
        long base = batch.baseTimestamp();
        if (max != RecordBatch.NO_TIMESTAMP && max - nowMs > config.messageTimestampAfterMaxMs()) {
            throw new InvalidTimestampException("Timestamp " + max + " is more than message.timestamp.after.max.ms "
                    + config.messageTimestampAfterMaxMs() + " ahead of the broker's time " + nowMs);
        }
        if (base != RecordBatch.NO_TIMESTAMP && nowMs - base > config.messageTimestampBeforeMaxMs()) {
            throw new InvalidTimestampException("Timestamp " + base + " is more than message.timestamp.before.max.ms "
                    + config.messageTimestampBeforeMaxMs() + " behind the broker's time " + nowMs);
        }
    }
}
