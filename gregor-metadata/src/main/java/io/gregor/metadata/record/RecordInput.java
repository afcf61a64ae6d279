package io.gregor.metadata.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads what {@link RecordOutput} wrote; running out of bytes means the record is corrupt. */
final class RecordInput {
    private final ByteBuffer buffer;

    RecordInput(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    byte readByte() {
        return guarded(() -> buffer.get());
    }

    short readShort() {
        return guarded(() -> buffer.getShort());
    }

    int readInt() {
        return guarded(() -> buffer.getInt());
    }

    long readLong() {
        return guarded(() -> buffer.getLong());
    }

    UUID readUuid() {
        return new UUID(readLong(), readLong());
    }

    String readString() {
        return readOptionalString().orElseThrow(() -> new CorruptMetadataException("missing required string"));
    }

    Optional<String> readOptionalString() {
        int length = readInt();
        if (length < 0) {
            return Optional.empty();
        }
        if (length > buffer.remaining()) {
            throw new CorruptMetadataException("string of " + length + " bytes does not fit the record");
        }
        byte[] utf8 = new byte[length];
        guarded(() -> buffer.get(utf8));
        return Optional.of(new String(utf8, StandardCharsets.UTF_8));
    }

    byte[] readBytes() {
        int length = readInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new CorruptMetadataException("byte array of " + length + " bytes does not fit the record");
        }
        byte[] values = new byte[length];
        guarded(() -> buffer.get(values));
        return values;
    }

    List<Integer> readIntList() {
        int count = readInt();
        if (count < 0 || count > buffer.remaining() / Integer.BYTES) {
            throw new CorruptMetadataException("list of " + count + " ints does not fit the record");
        }
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readInt());
        }
        return values;
    }

    boolean hasRemaining() {
        return buffer.hasRemaining();
    }

    private <T> T guarded(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (BufferUnderflowException e) {
            throw new CorruptMetadataException("metadata record ends early", e);
        }
    }
}
