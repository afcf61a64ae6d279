package io.gregor.protocol.wire;

import io.gregor.protocol.record.BaseRecords;
import io.gregor.protocol.record.MemoryRecords;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * A {@link Writable} over a growable heap buffer that doubles when full. Records must be
 * {@link MemoryRecords} here: their bytes are copied in. Not thread-safe.
 */
public final class ByteBufferWriter implements Writable {
    private ByteBuffer buffer;

    public ByteBufferWriter() {
        this(256);
    }

    public ByteBufferWriter(int initialCapacity) {
        buffer = ByteBuffer.allocate(Math.max(initialCapacity, 8));
    }

    /** Bytes written so far. */
    public int size() {
        return buffer.position();
    }

    /** The bytes written so far, positioned at 0; shares memory with this writer. */
    public ByteBuffer toByteBuffer() {
        return buffer.duplicate().flip();
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            int capacity = Math.max(buffer.capacity() * 2, buffer.position() + more);
            buffer = ByteBuffer.wrap(Arrays.copyOf(buffer.array(), capacity)).position(buffer.position());
        }
    }

    @Override
    public void writeByte(byte value) {
        ensure(1);
        buffer.put(value);
    }

    @Override
    public void writeShort(short value) {
        ensure(2);
        buffer.putShort(value);
    }

    @Override
    public void writeInt(int value) {
        ensure(4);
        buffer.putInt(value);
    }

    @Override
    public void writeLong(long value) {
        ensure(8);
        buffer.putLong(value);
    }

    @Override
    public void writeDouble(double value) {
        ensure(8);
        buffer.putDouble(value);
    }

    @Override
    public void writeUuid(UUID value) {
        ensure(16);
        buffer.putLong(value.getMostSignificantBits());
        buffer.putLong(value.getLeastSignificantBits());
    }

    @Override
    public void writeUnsignedVarint(int value) {
        ensure(5);
        ByteUtils.writeUnsignedVarint(buffer, value);
    }

    @Override
    public void writeVarint(int value) {
        ensure(5);
        ByteUtils.writeVarint(buffer, value);
    }

    @Override
    public void writeVarlong(long value) {
        ensure(10);
        ByteUtils.writeVarlong(buffer, value);
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        ensure(bytes.length);
        buffer.put(bytes);
    }

    @Override
    public void writeByteBuffer(ByteBuffer source) {
        ensure(source.remaining());
        buffer.put(source.duplicate());
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (!(records instanceof MemoryRecords memory)) {
            throw new IllegalArgumentException("ByteBufferWriter can only copy MemoryRecords, not "
                    + records.getClass().getSimpleName());
        }
        writeByteBuffer(memory.buffer());
    }
}
