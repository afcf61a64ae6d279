package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.message.ApiVersionsResponse;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.wire.ApiMessage;
import io.gregor.protocol.wire.Readable;
import io.gregor.protocol.wire.Writable;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;

class ResponseWriterTest {
    private static final short FETCH_VERSION = 12;

    @Test
    void prefixesFrameWithItsSizeAndWritesHeaderThenBody() {
        List<Object> parts = ResponseWriter.encodeFrame(PooledByteBufAllocator.DEFAULT, 31, (short) 0,
                new ApiVersionsResponse().setThrottleTimeMs(5), (short) 2);

        ByteBuffer frame = concatenateAndRelease(parts);
        assertThat(frame.getInt(0)).isEqualTo(frame.remaining() - 4);
        KafkaWire.ResponseFrame parsed = KafkaWire.frames(frame).get(0);
        assertThat(parsed.correlationId()).isEqualTo(31);
        assertThat(parsed.apiVersions((short) 2).throttleTimeMs()).isEqualTo(5);
    }

    @Test
    void sendsMemoryRecordsAsAWrappedBufferWithoutCopying() {
        ByteBuffer batches = org.apache.kafka.common.record.MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("key".getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8))).buffer();
        FetchResponse response = fetchResponseWith(new MemoryRecords(batches));

        List<Object> parts = ResponseWriter.encodeFrame(PooledByteBufAllocator.DEFAULT, 8, (short) 1, response, FETCH_VERSION);

        assertThat(parts).hasSizeGreaterThanOrEqualTo(2);
        ByteBuf recordsPart = (ByteBuf) parts.get(1);
        assertThat(recordsPart.hasArray()).isTrue();
        assertThat(recordsPart.array()).isSameAs(batches.array());

        ByteBuffer frame = concatenateAndRelease(parts);
        assertThat(frame.getInt()).isEqualTo(frame.remaining());
        assertThat(ResponseHeader.parse(frame, (short) 1).correlationId()).isEqualTo(8);
        FetchResponseData parsed = new FetchResponseData(new ByteBufferAccessor(frame), FETCH_VERSION);
        var records = (org.apache.kafka.common.record.MemoryRecords) parsed.responses().get(0).partitions().get(0).records();
        Record record = records.records().iterator().next();
        assertThat(StandardCharsets.UTF_8.decode(record.value()).toString()).isEqualTo("value");
        assertThat(parsed.responses().get(0).topic()).isEqualTo("orders");
        assertThat(ApiKeys.FETCH.responseHeaderVersion(FETCH_VERSION)).isEqualTo((short) 1);
    }

    @Test
    void releasesWhatItAllocatedWhenEncodingFails() {
        TrackingAllocator allocator = new TrackingAllocator();

        assertThatThrownBy(() -> ResponseWriter.encodeFrame(allocator, 1, (short) 0, new FailingMessage(), (short) 0))
                .isInstanceOf(IllegalStateException.class);

        assertThat(allocator.allocated).isNotEmpty().allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    private static FetchResponse fetchResponseWith(MemoryRecords records) {
        FetchResponse.PartitionData partition = new FetchResponse.PartitionData()
                .setPartitionIndex(0)
                .setHighWatermark(1)
                .setRecords(records);
        FetchResponse.FetchableTopicResponse topic = new FetchResponse.FetchableTopicResponse()
                .setTopic("orders")
                .setPartitions(new ArrayList<>(List.of(partition)));
        return new FetchResponse().setResponses(new ArrayList<>(List.of(topic)));
    }

    private static ByteBuffer concatenateAndRelease(List<Object> parts) {
        int size = parts.stream().mapToInt(part -> ((ByteBuf) part).readableBytes()).sum();
        ByteBuffer frame = ByteBuffer.allocate(size);
        for (Object part : parts) {
            ByteBuf buffer = (ByteBuf) part;
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            frame.put(bytes);
            ReferenceCountUtil.release(buffer);
        }
        return frame.flip();
    }

    /** Writes a little, then fails: a bug in a message's encoding. */
    private static final class FailingMessage implements ApiMessage {
        @Override
        public short apiKey() {
            return 18;
        }

        @Override
        public short lowestSupportedVersion() {
            return 0;
        }

        @Override
        public short highestSupportedVersion() {
            return 0;
        }

        @Override
        public void read(Readable in, short version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(Writable out, short version) {
            out.writeInt(1);
            throw new IllegalStateException("cannot encode");
        }
    }

    private static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> allocated = new ArrayList<>();

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
            allocated.add(buffer);
            return buffer;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
            allocated.add(buffer);
            return buffer;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
