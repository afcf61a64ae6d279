package io.gregor.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.io.IOException;

/**
 * On a TLS connection, reads the log segment regions of a fetch response into buffers, which
 * the TLS handler after it can encrypt: records cannot go from the page cache to an encrypted
 * socket without passing through the JVM, so a TLS listener gives up zero-copy fetch, as Kafka's
 * do. Other messages pass as they are.
 */
final class FileRegionsAsBuffers extends ChannelOutboundHandlerAdapter {

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws IOException {
        if (!(msg instanceof SegmentFileRegion region)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf records;
        try {
            records = region.read(ctx.alloc());
        } finally {
            region.release();
        }
        ctx.write(records, promise);
    }
}
