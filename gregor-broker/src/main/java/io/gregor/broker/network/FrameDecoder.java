package io.gregor.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the inbound byte stream into Kafka request frames: a 4-byte big-endian size followed by
 * that many bytes. Emits each frame (without its size) as a retained slice of the cumulation
 * buffer; the next handler owns it and must release it.
 *
 * <p>The size is checked before any byte of the frame is waited for, so a client announcing a
 * frame above {@code maxFrameBytes} cannot make the broker buffer it: the connection is closed
 * with a warning naming the client. A negative size is a broken client and closes too.
 *
 * <p>One instance per channel (it keeps the cumulation), used on that channel's event loop only.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = 4;

    private final int maxFrameBytes;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= SIZE_PREFIX_BYTES) {
            int size = in.getInt(in.readerIndex());
            if (size < 0 || size > maxFrameBytes) {
                refuse(ctx, in, size);
                return;
            }
            if (in.readableBytes() < SIZE_PREFIX_BYTES + size) {
                return;
            }
            in.skipBytes(SIZE_PREFIX_BYTES);
            out.add(in.readRetainedSlice(size));
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, int size) {
        if (size < 0) {
            log.warn("Closing connection from {}: negative request size {}", ctx.channel().remoteAddress(), size);
        } else {
            log.warn("Closing connection from {}: request of {} bytes exceeds socket.request.max.bytes={}",
                    ctx.channel().remoteAddress(), size, maxFrameBytes);
        }
        // Drop what is buffered so nothing after the bad size is decoded as a frame.
        in.skipBytes(in.readableBytes());
        ctx.close();
    }
}
