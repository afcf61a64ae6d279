package io.gregor.storage.log;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Finds, inside one uncompressed batch, the first record whose timestamp is at least a target,
 * reading only each record's length, timestampDelta and offsetDelta varints. Compressed batches
 * are not opened here: callers fall back to the batch's base offset.
 * <p>
 * Interim: to be replaced by the record iteration of {@code io.gregor.protocol.record}.
 */
final class RecordTimestamps {
    private RecordTimestamps() {
    }

    /** The offset and timestamp of the first record with timestamp >= target, if any. */
    static Optional<TimestampAndOffset> firstAtOrAfter(ByteBuffer buf, int pos, long target) {
        long baseOffset = BatchLayout.baseOffset(buf, pos);
        long baseTimestamp = BatchLayout.baseTimestamp(buf, pos);
        int end = pos + BatchLayout.sizeInBytes(buf, pos);
        int count = BatchLayout.recordsCount(buf, pos);
        ByteBuffer in = buf.duplicate();
        in.limit(end).position(pos + BatchLayout.HEADER_SIZE);
        for (int i = 0; i < count && in.hasRemaining(); i++) {
            int length = (int) readVarlong(in);
            int recordStart = in.position();
            in.get(); // attributes
            long timestamp = baseTimestamp + readVarlong(in);
            long offset = baseOffset + readVarlong(in);
            if (timestamp >= target) {
                return Optional.of(new TimestampAndOffset(timestamp, offset));
            }
            in.position(recordStart + length);
        }
        return Optional.empty();
    }

    private static long readVarlong(ByteBuffer in) {
        long raw = 0;
        int shift = 0;
        byte b;
        do {
            b = in.get();
            raw |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 70);
        return (raw >>> 1) ^ -(raw & 1); // zig-zag
    }
}
