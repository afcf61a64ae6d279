package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX_FRAME_BYTES = 1024;

    @Test
    void emitsFrameOnlyOnceAllItsBytesArrivedAcrossReads() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, RequestMemory.unbounded()));

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 5, 'h', 'e'}));
        assertThat(channel.inboundMessages()).isEmpty();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'l', 'l', 'o', 0, 0, 0, 2, 'o', 'k'}));

        assertThat(readString(channel)).isEqualTo("hello");
        assertThat(readString(channel)).isEqualTo("ok");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void emitsEmptyFrameForZeroSize() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, RequestMemory.unbounded()));

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0}));

        assertThat(readString(channel)).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void refusesOversizedFrameOnItsSizeAloneWithoutBufferingIt() {
        RecordingAllocator allocator = new RecordingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.pipeline().addLast(new FrameDecoder(MAX_FRAME_BYTES, RequestMemory.unbounded()));
        int announced = 1 << 30;

        channel.writeInbound(Unpooled.buffer(4).writeInt(announced));

        assertThat(channel.isOpen()).as("closed as soon as the size is known").isFalse();
        assertThat(channel.inboundMessages()).isEmpty();
        assertThat(allocator.largestRequest).isLessThan(MAX_FRAME_BYTES);
    }

    @Test
    void acceptsFrameOfExactlyTheLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, RequestMemory.unbounded()));

        channel.writeInbound(Unpooled.buffer().writeInt(MAX_FRAME_BYTES).writeZero(MAX_FRAME_BYTES));

        ByteBuf frame = channel.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(MAX_FRAME_BYTES);
        frame.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesConnectionOnNegativeSize() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, RequestMemory.unbounded()));

        channel.writeInbound(Unpooled.buffer().writeInt(-1).writeBytes(new byte[] {1, 2, 3}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.inboundMessages()).isEmpty();
    }

    @Test
    void readsOfAPartlyReceivedFrameGoStraightIntoItsBuffer() {
        FrameDecoder decoder = new FrameDecoder(MAX_FRAME_BYTES, RequestMemory.unbounded());
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        assertThat(decoder.inPlaceReadBuffer()).as("between frames a read brings its own buffer").isNull();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 11, 'h', 'e', 'l'}));
        ByteBuf firstRead = decoder.inPlaceReadBuffer();
        assertThat(firstRead.writableBytes()).as("the rest of the frame").isEqualTo(8);
        firstRead.writeBytes(new byte[] {'l', 'o', ' '});
        channel.writeInbound(firstRead);
        assertThat(channel.inboundMessages()).isEmpty();
        ByteBuf secondRead = decoder.inPlaceReadBuffer();
        assertThat(secondRead.writableBytes()).isEqualTo(5);
        secondRead.writeBytes(new byte[] {'w', 'o', 'r', 'l', 'd'});
        channel.writeInbound(secondRead);

        ByteBuf frame = channel.readInbound();
        assertThat(frame.toString(StandardCharsets.US_ASCII)).isEqualTo("hello world");
        assertThat(frame.capacity()).as("the frame's own buffer, not a slice of a larger one").isEqualTo(11);
        frame.release();
        assertThat(frame.refCnt()).as("the reads' slices gave back what they held").isZero();
        assertThat(decoder.inPlaceReadBuffer()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aFrameLargerThanTheUpfrontLimitGetsItsBufferAsItsBytesArrive() {
        int size = FrameDecoder.UPFRONT_FRAME_BYTES * 3 + 5;
        FrameDecoder decoder = new FrameDecoder(size, RequestMemory.unbounded());
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        byte[] content = new byte[size];
        new java.util.Random(7).nextBytes(content);

        channel.writeInbound(Unpooled.buffer().writeInt(size).writeBytes(content, 0, 100));
        int offset = 100;
        ByteBuf read = decoder.inPlaceReadBuffer();
        assertThat(read.unwrap().capacity()).as("no more than the limit before the bytes come")
                .isLessThanOrEqualTo(FrameDecoder.UPFRONT_FRAME_BYTES);
        while (read != null) {
            int n = Math.min(read.writableBytes(), 300_000);
            read.writeBytes(content, offset, n);
            offset += n;
            channel.writeInbound(read);
            read = decoder.inPlaceReadBuffer();
        }

        ByteBuf frame = channel.readInbound();
        assertThat(offset).isEqualTo(size);
        assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(content);
        frame.release();
    }

    @Test
    void sizePrefixSplitAcrossReadsIsJoined() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, RequestMemory.unbounded()));

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 1}));
        assertThat(channel.inboundMessages()).isEmpty();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {2, 'x'}));
        assertThat(channel.inboundMessages()).isEmpty();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'y'}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[255 + 5]));

        ByteBuf frame = channel.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(258);
        assertThat(frame.getByte(0)).isEqualTo((byte) 'x');
        assertThat(frame.getByte(1)).isEqualTo((byte) 'y');
        frame.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void oneReadWithWholeFramesAndTheStartOfAnotherEmitsTheWholeOnes() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, RequestMemory.unbounded()));

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {
            0, 0, 0, 1, 'a', 0, 0, 0, 2, 'b', 'c', 0, 0, 0, 3, 'd'}));

        assertThat(readString(channel)).isEqualTo("a");
        assertThat(readString(channel)).isEqualTo("bc");
        assertThat(channel.inboundMessages()).isEmpty();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'e', 'f', 0, 0}));
        assertThat(readString(channel)).isEqualTo("def");
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 1, 'g'}));
        assertThat(readString(channel)).isEqualTo("g");
    }

    @Test
    void closingWithAFramePartlyReceivedFreesItsBuffer() {
        FrameDecoder decoder = new FrameDecoder(MAX_FRAME_BYTES, RequestMemory.unbounded());
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 100, 1, 2, 3}));
        ByteBuf read = decoder.inPlaceReadBuffer();
        ByteBuf frame = read.unwrap();
        read.release(); // as Netty does with a read that got no bytes

        channel.close();

        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void stopsReadingWhenRequestMemoryRunsOutAndGoesOnOnceItIsGivenBack() {
        RequestMemory memory = new RequestMemory(10);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, memory));

        channel.writeInbound(Unpooled.buffer()
                .writeInt(8).writeBytes("aaaaaaaa".getBytes(StandardCharsets.US_ASCII))
                .writeInt(5).writeBytes("bbbbb".getBytes(StandardCharsets.US_ASCII))
                .writeInt(3).writeBytes("ccc".getBytes(StandardCharsets.US_ASCII)));

        assertThat(readString(channel)).isEqualTo("aaaaaaaa");
        assertThat(readString(channel)).as("2 bytes were left, so it gets in").isEqualTo("bbbbb");
        assertThat(channel.inboundMessages()).as("nothing left for the third").isEmpty();
        assertThat(channel.config().isAutoRead()).as("the connection is not read meanwhile").isFalse();

        memory.release(8);
        channel.runPendingTasks();

        assertThat(readString(channel)).isEqualTo("ccc");
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(memory.availableBytes()).isEqualTo(10 - 5 - 3);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void bytesReadWhileWaitingForMemoryAreDecodedAfterTheWaitingFrame() {
        RequestMemory memory = new RequestMemory(4);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, memory));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 4, 'a', 'b', 'c', 'd', 0, 0, 0, 2, 'e'}));
        readString(channel);

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'f', 0, 0, 0, 1, 'g'}));
        assertThat(channel.inboundMessages()).isEmpty();
        memory.release(4);
        channel.runPendingTasks();

        assertThat(readString(channel)).isEqualTo("ef");
        assertThat(readString(channel)).isEqualTo("g");
    }

    @Test
    void closingWhileWaitingForMemoryFreesWhatWasRead() {
        RequestMemory memory = new RequestMemory(4);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, memory));
        ByteBuf read = Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 4, 'a', 'b', 'c', 'd', 0, 0, 0, 9, 'e'});
        channel.writeInbound(read);
        ByteBuf first = channel.readInbound();
        first.release();

        channel.close();
        memory.release(4);
        channel.runPendingTasks();

        assertThat(read.refCnt()).isZero();
        assertThat(channel.inboundMessages()).isEmpty();
    }

    @Test
    void closingWithAFramePartlyReceivedGivesBackItsMemory() {
        RequestMemory memory = new RequestMemory(1_000);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES, memory));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 100, 1, 2, 3}));
        assertThat(memory.availableBytes()).isEqualTo(900);

        channel.close();

        assertThat(memory.availableBytes()).isEqualTo(1_000);
    }

    private static String readString(EmbeddedChannel channel) {
        ByteBuf frame = channel.readInbound();
        try {
            return frame.toString(StandardCharsets.US_ASCII);
        } finally {
            frame.release();
        }
    }

    /** Remembers the largest buffer anyone on the channel asked for. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {
        private int largestRequest;

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largestRequest = Math.max(largestRequest, initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            largestRequest = Math.max(largestRequest, initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
