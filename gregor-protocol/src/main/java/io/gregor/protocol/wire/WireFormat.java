package io.gregor.protocol.wire;

import io.gregor.protocol.record.BaseRecords;
import io.gregor.protocol.record.MemoryRecords;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The length-prefixed encodings shared by generated messages. Classic versions prefix strings
 * with an int16 length, bytes, records and arrays with an int32 length, and encode null as -1.
 * Flexible ("compact") versions prefix all of them with an unsigned varint of length + 1 and
 * encode null as 0.
 */
public final class WireFormat {
    public static final UUID ZERO_UUID = new UUID(0L, 0L);
    public static final byte[] EMPTY_BYTES = new byte[0];

    private WireFormat() {
    }

    /** The length of a string, bytes, records or array value; negative means null. */
    private static int readLength(Readable in, boolean flexible, boolean classicShort) {
        if (flexible) {
            return in.readUnsignedVarint() - 1;
        }
        return classicShort ? in.readShort() : in.readInt();
    }

    private static void checkNull(int length, boolean nullable, String field) {
        if (length < -1 || (length == -1 && !nullable)) {
            throw new InvalidMessageException(field + ": " + (length == -1 ? "null is not allowed" : "invalid length " + length));
        }
    }

    public static String readString(Readable in, boolean flexible, boolean nullable, String field) {
        int length = readLength(in, flexible, true);
        if (length < 0) {
            checkNull(length, nullable, field);
            return null;
        }
        return in.readString(length);
    }

    public static byte[] readBytes(Readable in, boolean flexible, boolean nullable, String field) {
        int length = readLength(in, flexible, false);
        if (length < 0) {
            checkNull(length, nullable, field);
            return null;
        }
        return in.readBytes(length);
    }

    public static MemoryRecords readRecords(Readable in, boolean flexible, boolean nullable, String field) {
        int length = readLength(in, flexible, false);
        if (length < 0) {
            checkNull(length, nullable, field);
            return null;
        }
        return in.readRecords(length);
    }

    /** The element count of an array, or -1 for a null array (only where nullable). */
    public static int readArrayLength(Readable in, boolean flexible, boolean nullable, String field) {
        int length = readLength(in, flexible, false);
        if (length < 0) {
            checkNull(length, nullable, field);
            return -1;
        }
        return length;
    }

    /**
     * A list capacity for {@code count} elements that a hostile length cannot inflate beyond
     * the bytes actually present.
     */
    public static int initialCapacity(int count, Readable in) {
        return Math.min(count, in.remaining());
    }

    private static void writeLength(Writable out, int length, boolean flexible, boolean classicShort) {
        if (flexible) {
            out.writeUnsignedVarint(length + 1);
        } else if (classicShort) {
            out.writeShort((short) length);
        } else {
            out.writeInt(length);
        }
    }

    public static void writeString(Writable out, String value, boolean flexible, boolean nullable, String field) {
        if (value == null) {
            requireNullable(nullable, field);
            writeLength(out, -1, flexible, true);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Short.MAX_VALUE) {
            throw new InvalidMessageException(field + ": string of " + bytes.length + " bytes is too long");
        }
        writeLength(out, bytes.length, flexible, true);
        out.writeByteArray(bytes);
    }

    public static void writeBytes(Writable out, byte[] value, boolean flexible, boolean nullable, String field) {
        if (value == null) {
            requireNullable(nullable, field);
            writeLength(out, -1, flexible, false);
            return;
        }
        writeLength(out, value.length, flexible, false);
        out.writeByteArray(value);
    }

    public static void writeRecords(Writable out, BaseRecords value, boolean flexible, boolean nullable, String field) {
        if (value == null) {
            requireNullable(nullable, field);
            writeLength(out, -1, flexible, false);
            return;
        }
        writeLength(out, value.sizeInBytes(), flexible, false);
        out.writeRecords(value);
    }

    public static void writeNullArray(Writable out, boolean flexible, boolean nullable, String field) {
        requireNullable(nullable, field);
        writeLength(out, -1, flexible, false);
    }

    public static void writeArrayLength(Writable out, int size, boolean flexible) {
        writeLength(out, size, flexible, false);
    }

    public static void requireNullable(boolean nullable, String field) {
        if (!nullable) {
            throw new InvalidMessageException(field + " is null, but cannot be null in this version");
        }
    }

    public static void requireNonNull(Object value, String field) {
        if (value == null) {
            throw new InvalidMessageException(field + " is null, but cannot be null in this version");
        }
    }
}
