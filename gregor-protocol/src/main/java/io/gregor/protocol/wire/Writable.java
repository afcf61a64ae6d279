package io.gregor.protocol.wire;

import io.gregor.protocol.record.BaseRecords;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Where generated messages write their encoding. Implementations decide the storage: a growable
 * heap buffer, or (in the broker) Netty buffers interleaved with zero-copy file regions for
 * {@link #writeRecords}.
 */
public interface Writable {
    void writeByte(byte value);

    void writeShort(short value);

    void writeInt(int value);

    void writeLong(long value);

    void writeDouble(double value);

    void writeUuid(UUID value);

    void writeUnsignedVarint(int value);

    void writeVarint(int value);

    void writeVarlong(long value);

    void writeByteArray(byte[] bytes);

    /** Writes the remaining bytes of {@code buffer} without moving its position. */
    void writeByteBuffer(ByteBuffer buffer);

    /** Writes record batches; their length prefix has already been written by the caller. */
    void writeRecords(BaseRecords records);
}
