package io.gregor.broker.network;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A zero-copy region of a log segment file. It is a {@link DefaultFileRegion} because Netty's
 * epoll transport uses sendfile only for that class; unlike its parent, releasing it leaves the
 * file channel open, because the channel belongs to the segment and serves every reader.
 */
final class SegmentFileRegion extends DefaultFileRegion {

    SegmentFileRegion(FileChannel segmentChannel, long position, long count) {
        super(segmentChannel, position, count);
    }

    @Override
    protected void deallocate() {
        // The segment closes its channel when the segment itself is closed or deleted.
    }
}
