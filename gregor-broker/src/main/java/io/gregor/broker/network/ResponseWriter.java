package io.gregor.broker.network;

import io.gregor.protocol.message.ResponseHeader;
import io.gregor.protocol.record.BaseRecords;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.Writable;
import io.gregor.storage.log.FileRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Encodes one response frame (size, response header, body) as a sequence of Netty messages to
 * write in order: pooled buffers for the encoded fields, and for record data either a wrapped
 * buffer ({@link MemoryRecords}, no copy) or a {@link SegmentFileRegion} ({@link FileRecords},
 * sent from the page cache with sendfile). The 4-byte size is reserved first and patched once
 * the whole frame is known.
 *
 * <p>Zero-copy file regions only work on plaintext connections; a TLS listener will need a
 * copying variant. One instance per frame, used by one thread.
 */
final class ResponseWriter implements Writable {
    private static final int SIZE_PREFIX_BYTES = 4;
    private static final int INITIAL_BUFFER_BYTES = 256;

    private final ByteBufAllocator allocator;
    private final List<Object> parts = new ArrayList<>();
    private ByteBuf current;
    private long frameBytes;

    private ResponseWriter(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * Encodes a response frame. The caller owns the returned messages (writing them to a
     * channel hands them over); on failure nothing is left allocated.
     */
    static List<Object> encodeFrame(ByteBufAllocator allocator, int correlationId, short headerVersion,
                                    ApiMessage body, short version) {
        ResponseWriter writer = new ResponseWriter(allocator);
        try {
            writer.buffer().writeInt(0); // size, patched below
            new ResponseHeader().setCorrelationId(correlationId).write(writer, headerVersion);
            body.write(writer, version);
            return writer.finish();
        } catch (RuntimeException e) {
            writer.releaseAll();
            throw e;
        }
    }

    private List<Object> finish() {
        closeCurrentBuffer();
        long size = frameBytes - SIZE_PREFIX_BYTES;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("Response of " + size + " bytes does not fit a Kafka frame");
        }
        ((ByteBuf) parts.get(0)).setInt(0, (int) size);
        return parts;
    }

    private ByteBuf buffer() {
        if (current == null) {
            current = allocator.buffer(INITIAL_BUFFER_BYTES);
        }
        return current;
    }

    private void closeCurrentBuffer() {
        if (current != null) {
            frameBytes += current.readableBytes();
            parts.add(current);
            current = null;
        }
    }

    private void releaseAll() {
        if (current != null) {
            current.release();
            current = null;
        }
        parts.forEach(ReferenceCountUtil::release);
        parts.clear();
    }

    @Override
    public void writeByte(byte value) {
        buffer().writeByte(value);
    }

    @Override
    public void writeShort(short value) {
        buffer().writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        buffer().writeInt(value);
    }

    @Override
    public void writeLong(long value) {
        buffer().writeLong(value);
    }

    @Override
    public void writeDouble(double value) {
        buffer().writeDouble(value);
    }

    @Override
    public void writeUuid(UUID value) {
        buffer().writeLong(value.getMostSignificantBits());
        buffer().writeLong(value.getLeastSignificantBits());
    }

    @Override
    public void writeUnsignedVarint(int value) {
        ByteBuf out = buffer();
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    @Override
    public void writeVarint(int value) {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    @Override
    public void writeVarlong(long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        ByteBuf out = buffer();
        while ((zigzag & ~0x7FL) != 0) {
            out.writeByte((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.writeByte((int) zigzag);
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        buffer().writeBytes(bytes);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buffer) {
        buffer().writeBytes(buffer.duplicate());
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records.sizeInBytes() == 0) {
            return;
        }
        if (records instanceof MemoryRecords memory) {
            closeCurrentBuffer();
            parts.add(Unpooled.wrappedBuffer(memory.buffer()));
            frameBytes += records.sizeInBytes();
        } else if (records instanceof FileRecords file) {
            closeCurrentBuffer();
            parts.add(new SegmentFileRegion(file.channel(), file.position(), file.sizeInBytes()));
            frameBytes += records.sizeInBytes();
        } else {
            throw new IllegalArgumentException("Cannot send records of type " + records.getClass().getName());
        }
    }
}
