package io.gregor.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The buffers a connection's socket reads go into: while a request frame is partly received,
 * the rest of that frame's own buffer ({@link FrameDecoder#inPlaceReadBuffer()}), so its bytes
 * are not copied again once read; between frames, a buffer sized by the channel's usual
 * allocator, which also decides, as before, how many reads one readiness event gets.
 */
final class FrameReadAllocator implements RecvByteBufAllocator {
    private final FrameDecoder frames;
    private final RecvByteBufAllocator sizing;

    FrameReadAllocator(FrameDecoder frames, RecvByteBufAllocator sizing) {
        this.frames = frames;
        this.sizing = sizing;
    }

    @Override
    public Handle newHandle() {
        return new FrameReadHandle(frames, (ExtendedHandle) sizing.newHandle());
    }

    private static final class FrameReadHandle implements ExtendedHandle {
        private final FrameDecoder frames;
        private final ExtendedHandle sizing;

        FrameReadHandle(FrameDecoder frames, ExtendedHandle sizing) {
            this.frames = frames;
            this.sizing = sizing;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            ByteBuf inPlace = frames.inPlaceReadBuffer();
            return inPlace != null ? inPlace : sizing.allocate(alloc);
        }

        @Override
        @SuppressWarnings("deprecation") // part of the interface Netty's read loops call
        public int guess() {
            return sizing.guess();
        }

        @Override
        public void reset(ChannelConfig config) {
            sizing.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            sizing.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            sizing.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return sizing.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            sizing.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return sizing.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return sizing.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return sizing.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            sizing.readComplete();
        }
    }
}
