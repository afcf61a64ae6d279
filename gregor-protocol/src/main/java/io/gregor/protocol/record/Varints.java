package io.gregor.protocol.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Zig-zag varints as used inside records (protobuf encoding). Reads report malformed input as
 * {@link CorruptRecordException}, since inside a batch they can only come from corrupt bytes.
 */
final class Varints {
    private Varints() {
    }

    static int readVarint(ByteBuffer buffer) {
        int raw = 0;
        try {
            for (int shift = 0; shift < 35; shift += 7) {
                int b = buffer.get();
                raw |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
        } catch (BufferUnderflowException e) {
            throw new CorruptRecordException("Record ends inside a varint");
        }
        throw new CorruptRecordException("Varint longer than 5 bytes");
    }

    static long readVarlong(ByteBuffer buffer) {
        long raw = 0;
        try {
            for (int shift = 0; shift < 70; shift += 7) {
                long b = buffer.get();
                raw |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
        } catch (BufferUnderflowException e) {
            throw new CorruptRecordException("Record ends inside a varlong");
        }
        throw new CorruptRecordException("Varlong longer than 10 bytes");
    }

    static void writeVarint(ByteBuffer buffer, int value) {
        writeUnsigned(buffer, ((long) ((value << 1) ^ (value >> 31))) & 0xffffffffL);
    }

    static void writeVarlong(ByteBuffer buffer, long value) {
        writeUnsigned(buffer, (value << 1) ^ (value >> 63));
    }

    private static void writeUnsigned(ByteBuffer buffer, long raw) {
        while ((raw & ~0x7fL) != 0) {
            buffer.put((byte) ((raw & 0x7f) | 0x80));
            raw >>>= 7;
        }
        buffer.put((byte) raw);
    }

    static int sizeOfVarint(int value) {
        return sizeOfUnsigned(((long) ((value << 1) ^ (value >> 31))) & 0xffffffffL);
    }

    static int sizeOfVarlong(long value) {
        return sizeOfUnsigned((value << 1) ^ (value >> 63));
    }

    private static int sizeOfUnsigned(long raw) {
        int bytes = 1;
        while ((raw & ~0x7fL) != 0) {
            bytes++;
            raw >>>= 7;
        }
        return bytes;
    }
}
