package io.gregor.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A zero-copy region of a log segment file. It is a {@link DefaultFileRegion} because Netty's
 * epoll transport uses sendfile only for that class; unlike its parent, releasing it leaves the
 * file channel open, because the channel belongs to the segment and serves every reader.
 */
final class SegmentFileRegion extends DefaultFileRegion {
    private final FileChannel segmentChannel;

    SegmentFileRegion(FileChannel segmentChannel, long position, long count) {
        super(segmentChannel, position, count);
        this.segmentChannel = segmentChannel;
    }

    /** The region's bytes, read into a buffer from {@code alloc} (for a TLS connection). */
    ByteBuf read(ByteBufAllocator alloc) throws IOException {
        int size = Math.toIntExact(count());
        ByteBuf buffer = alloc.directBuffer(size, size);
        try {
            while (buffer.isWritable()) {
                int read = buffer.writeBytes(segmentChannel, position() + buffer.writerIndex(), buffer.writableBytes());
                if (read < 0) {
                    throw new EOFException("The segment ends before its region " + position() + "+" + size);
                }
            }
            return buffer;
        } catch (IOException | RuntimeException e) {
            buffer.release();
            throw e;
        }
    }

    @Override
    protected void deallocate() {
        // The segment closes its channel when the segment itself is closed or deleted.
    }
}
