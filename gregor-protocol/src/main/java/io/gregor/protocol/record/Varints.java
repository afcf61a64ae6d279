package io.gregor.protocol.record;

import io.gregor.protocol.wire.ByteUtils;
import io.gregor.protocol.wire.InvalidMessageException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The wire varints ({@link ByteUtils}) as used inside records, where a malformed or cut-short
 * varint can only mean corrupt batch bytes, so reads fail with {@link CorruptRecordException}.
 */
final class Varints {
    private Varints() {
    }

    static int readVarint(ByteBuffer buffer) {
        try {
            return ByteUtils.readVarint(buffer);
        } catch (BufferUnderflowException | InvalidMessageException e) {
            throw new CorruptRecordException("Malformed varint in record: " + describe(e));
        }
    }

    static long readVarlong(ByteBuffer buffer) {
        try {
            return ByteUtils.readVarlong(buffer);
        } catch (BufferUnderflowException | InvalidMessageException e) {
            throw new CorruptRecordException("Malformed varlong in record: " + describe(e));
        }
    }

    static void writeVarint(ByteBuffer buffer, int value) {
        ByteUtils.writeVarint(buffer, value);
    }

    static void writeVarlong(ByteBuffer buffer, long value) {
        ByteUtils.writeVarlong(buffer, value);
    }

    static int sizeOfVarint(int value) {
        return ByteUtils.sizeOfVarint(value);
    }

    static int sizeOfVarlong(long value) {
        return ByteUtils.sizeOfVarlong(value);
    }

    private static String describe(RuntimeException e) {
        return e instanceof BufferUnderflowException ? "bytes end inside it" : e.getMessage();
    }
}
