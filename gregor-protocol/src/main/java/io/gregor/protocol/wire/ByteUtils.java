package io.gregor.protocol.wire;

import java.nio.ByteBuffer;

/**
 * Variable-length integers as Kafka encodes them: unsigned LEB128 (7 bits per byte, low
 * groups first, high bit set on all but the last byte), and zig-zag for signed values.
 */
public final class ByteUtils {
    private ByteUtils() {
    }

    public static int readUnsignedVarint(ByteBuffer buffer) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = buffer.get();
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new InvalidMessageException("unsigned varint longer than 5 bytes");
    }

    public static long readUnsignedVarlong(ByteBuffer buffer) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = buffer.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new InvalidMessageException("unsigned varlong longer than 10 bytes");
    }

    public static int readVarint(ByteBuffer buffer) {
        int raw = readUnsignedVarint(buffer);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static long readVarlong(ByteBuffer buffer) {
        long raw = readUnsignedVarlong(buffer);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static void writeUnsignedVarint(ByteBuffer buffer, int value) {
        while ((value & ~0x7F) != 0) {
            buffer.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
    }

    public static void writeUnsignedVarlong(ByteBuffer buffer, long value) {
        while ((value & ~0x7FL) != 0) {
            buffer.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
    }

    public static void writeVarint(ByteBuffer buffer, int value) {
        writeUnsignedVarint(buffer, (value << 1) ^ (value >> 31));
    }

    public static void writeVarlong(ByteBuffer buffer, long value) {
        writeUnsignedVarlong(buffer, (value << 1) ^ (value >> 63));
    }

    /** Bytes needed for {@code value} as an unsigned varint: 1 to 5. */
    public static int sizeOfUnsignedVarint(int value) {
        int leadingZeros = Integer.numberOfLeadingZeros(value);
        return leadingZeros == 32 ? 1 : (38 - leadingZeros) / 7;
    }

    public static int sizeOfUnsignedVarlong(long value) {
        int leadingZeros = Long.numberOfLeadingZeros(value);
        return leadingZeros == 64 ? 1 : (70 - leadingZeros) / 7;
    }

    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
    }

    public static int sizeOfVarlong(long value) {
        return sizeOfUnsignedVarlong((value << 1) ^ (value >> 63));
    }
}
