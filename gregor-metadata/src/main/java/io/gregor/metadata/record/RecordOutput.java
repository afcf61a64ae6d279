package io.gregor.metadata.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A growable big-endian buffer with the few field encodings metadata records need. */
final class RecordOutput {
    private static final int ABSENT = -1;

    private byte[] bytes = new byte[64];
    private int size;

    void writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    void writeShort(int value) {
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    void writeInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
    }

    void writeLong(long value) {
        writeInt((int) (value >>> 32));
        writeInt((int) value);
    }

    void writeUuid(UUID id) {
        writeLong(id.getMostSignificantBits());
        writeLong(id.getLeastSignificantBits());
    }

    void writeString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeInt(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
    }

    void writeOptionalString(Optional<String> value) {
        if (value.isPresent()) {
            writeString(value.get());
        } else {
            writeInt(ABSENT);
        }
    }

    void writeBytes(byte[] values) {
        writeInt(values.length);
        ensure(values.length);
        System.arraycopy(values, 0, bytes, size, values.length);
        size += values.length;
    }

    void writeIntList(List<Integer> values) {
        writeInt(values.size());
        for (int value : values) {
            writeInt(value);
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int extra) {
        if (size + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
        }
    }
}
