package io.gregor.protocol.wire;

import io.gregor.protocol.record.MemoryRecords;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads Kafka's primitive encodings from a ByteBuffer (big-endian), advancing its position.
 * {@link #readRecords} returns a slice that shares the buffer's memory, so the buffer must stay
 * unchanged while the records are in use. Not thread-safe.
 */
public final class Readable {
    private final ByteBuffer buffer;

    public Readable(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    public byte readByte() {
        return buffer.get();
    }

    public short readShort() {
        return buffer.getShort();
    }

    public int readInt() {
        return buffer.getInt();
    }

    public long readLong() {
        return buffer.getLong();
    }

    public double readDouble() {
        return buffer.getDouble();
    }

    public UUID readUuid() {
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    public int readUnsignedVarint() {
        return ByteUtils.readUnsignedVarint(buffer);
    }

    public int readVarint() {
        return ByteUtils.readVarint(buffer);
    }

    public long readVarlong() {
        return ByteUtils.readVarlong(buffer);
    }

    /** Decodes {@code length} bytes of UTF-8. */
    public String readString(int length) {
        checkLength(length);
        String value;
        if (buffer.hasArray()) {
            value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            buffer.get(buffer.position(), bytes);
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        buffer.position(buffer.position() + length);
        return value;
    }

    public byte[] readBytes(int length) {
        checkLength(length);
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    /** The next {@code length} bytes as record batches, without copying them. */
    public MemoryRecords readRecords(int length) {
        checkLength(length);
        ByteBuffer slice = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        return new MemoryRecords(slice);
    }

    public int remaining() {
        return buffer.remaining();
    }

    public void skip(int length) {
        checkLength(length);
        buffer.position(buffer.position() + length);
    }

    private void checkLength(int length) {
        if (length < 0 || length > buffer.remaining()) {
            throw new BufferUnderflowException();
        }
    }
}
