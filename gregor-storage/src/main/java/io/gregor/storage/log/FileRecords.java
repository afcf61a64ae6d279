package io.gregor.storage.log;

import io.gregor.protocol.record.BaseRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A region of a segment file holding whole record batches: what a fetch returns. Plaintext
 * connections send it with {@link #transferTo} (zero copy, e.g. wrapped in Netty's
 * {@code DefaultFileRegion(channel(), position(), sizeInBytes())}); TLS and tests copy it with
 * {@link #readInto}. Immutable; the bytes in the region never change while the segment lives,
 * and deleted segments stay open for {@code file.delete.delay.ms} so in-flight sends finish.
 */
public final class FileRecords implements BaseRecords {
    private final FileChannel channel;
    private final long position;
    private final int size;

    public FileRecords(FileChannel channel, long position, int size) {
        this.channel = channel;
        this.position = position;
        this.size = size;
    }

    public FileChannel channel() {
        return channel;
    }

    /** File position of the first byte. */
    public long position() {
        return position;
    }

    @Override
    public int sizeInBytes() {
        return size;
    }

    /** Sends up to {@code count} bytes starting {@code offset} bytes into the region; returns bytes sent. */
    public long transferTo(WritableByteChannel target, long offset, long count) throws IOException {
        long length = Math.min(count, size - offset);
        return channel.transferTo(position + offset, length, target);
    }

    /** Copies the whole region into {@code dst} (which needs {@link #sizeInBytes()} bytes remaining). */
    public void readInto(ByteBuffer dst) throws IOException {
        ByteBuffer target = dst.slice();
        target.limit(size);
        long at = position;
        while (target.hasRemaining()) {
            int read = channel.read(target, at);
            if (read < 0) {
                throw new IOException("Segment ended before the fetched region did");
            }
            at += read;
        }
        dst.position(dst.position() + size);
    }

    /** The region's bytes in a new heap buffer, positioned at 0. */
    public ByteBuffer readAll() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        readInto(buffer);
        return buffer.flip();
    }

    @Override
    public String toString() {
        return "FileRecords(position=" + position + ", size=" + size + ")";
    }
}
