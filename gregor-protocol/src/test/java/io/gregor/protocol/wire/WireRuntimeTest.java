package io.gregor.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.record.MemoryRecords;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WireRuntimeTest {
    private static final int[] EDGE_INTS = {0, 1, -1, 63, 64, 127, 128, 16383, 16384, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final long[] EDGE_LONGS = {0, 1, -1, 127, 128, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 35, -(1L << 49)};

    private static IntStream ints() {
        return IntStream.concat(IntStream.of(EDGE_INTS), new Random(1).ints(2000));
    }

    private static LongStream longs() {
        return LongStream.concat(LongStream.of(EDGE_LONGS), new Random(2).longs(2000));
    }

    @Test
    void varintsMatchKafkaEncodingAndSizes() {
        ints().forEach(value -> {
            ByteBufferWriter ours = new ByteBufferWriter(1);
            ours.writeUnsignedVarint(value);
            ours.writeVarint(value);
            ByteBuffer kafka = ByteBuffer.allocate(10);
            org.apache.kafka.common.utils.ByteUtils.writeUnsignedVarint(value, kafka);
            org.apache.kafka.common.utils.ByteUtils.writeVarint(value, kafka);

            assertThat(ours.toByteArray()).as("%d", value).isEqualTo(java.util.Arrays.copyOf(kafka.array(), kafka.position()));
            assertThat(ByteUtils.sizeOfUnsignedVarint(value)).isEqualTo(org.apache.kafka.common.utils.ByteUtils.sizeOfUnsignedVarint(value));
            assertThat(ByteUtils.sizeOfVarint(value)).isEqualTo(org.apache.kafka.common.utils.ByteUtils.sizeOfVarint(value));
            Readable in = new Readable(ours.toByteBuffer());
            assertThat(in.readUnsignedVarint()).isEqualTo(value);
            assertThat(in.readVarint()).isEqualTo(value);
        });
    }

    @Test
    void varlongsMatchKafkaEncodingAndSizes() {
        longs().forEach(value -> {
            ByteBufferWriter ours = new ByteBufferWriter(1);
            ours.writeVarlong(value);
            ByteBuffer kafka = ByteBuffer.allocate(10);
            org.apache.kafka.common.utils.ByteUtils.writeVarlong(value, kafka);

            assertThat(ours.toByteArray()).as("%d", value).isEqualTo(java.util.Arrays.copyOf(kafka.array(), kafka.position()));
            assertThat(ByteUtils.sizeOfVarlong(value)).isEqualTo(org.apache.kafka.common.utils.ByteUtils.sizeOfVarlong(value));
            assertThat(new Readable(ours.toByteBuffer()).readVarlong()).isEqualTo(value);
        });
    }

    @Test
    void overlongVarintIsInvalid() {
        ByteBuffer bytes = ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});

        assertThatThrownBy(() -> new Readable(bytes).readUnsignedVarint()).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void writerGrowsAndKeepsEverythingWritten() {
        ByteBufferWriter writer = new ByteBufferWriter(8);
        for (int i = 0; i < 1000; i++) {
            writer.writeInt(i);
        }
        writer.writeUuid(new UUID(1, 2));
        writer.writeDouble(1.5);

        Readable in = new Readable(writer.toByteBuffer());
        for (int i = 0; i < 1000; i++) {
            assertThat(in.readInt()).isEqualTo(i);
        }
        assertThat(in.readUuid()).isEqualTo(new UUID(1, 2));
        assertThat(in.readDouble()).isEqualTo(1.5);
        assertThat(writer.size()).isEqualTo(4000 + 16 + 8);
    }

    @Test
    void writeByteBufferLeavesTheSourcePositionAlone() {
        ByteBuffer source = ByteBuffer.wrap(new byte[] {1, 2, 3});
        ByteBufferWriter writer = new ByteBufferWriter();

        writer.writeByteBuffer(source);
        writer.writeRecords(new MemoryRecords(source));

        assertThat(source.position()).isZero();
        assertThat(writer.toByteArray()).containsExactly(1, 2, 3, 1, 2, 3);
    }

    @Test
    void readsUtf8StringsFromHeapAndDirectBuffers() {
        byte[] utf8 = "héllo 中".getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length + 1).put((byte) 0).put(utf8).flip();
        ByteBuffer heap = ByteBuffer.wrap(new byte[utf8.length + 1]).put(1, utf8);

        for (ByteBuffer buffer : new ByteBuffer[] {direct, heap}) {
            Readable in = new Readable(buffer);
            in.skip(1);
            assertThat(in.readString(utf8.length)).isEqualTo("héllo 中");
            assertThat(in.remaining()).isZero();
        }
    }

    @Test
    void lengthsBeyondTheBufferAreRefused() {
        Readable in = new Readable(ByteBuffer.allocate(4));

        assertThatThrownBy(() -> in.readBytes(5)).isInstanceOf(BufferUnderflowException.class);
        assertThatThrownBy(() -> in.readRecords(-2)).isInstanceOf(BufferUnderflowException.class);
        assertThat(in.remaining()).isEqualTo(4);
    }

    @Test
    void readRecordsSlicesWithoutMovingPastTheLength() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
        Readable in = new Readable(buffer);
        in.skip(1);

        MemoryRecords records = in.readRecords(3);

        assertThat(records.sizeInBytes()).isEqualTo(3);
        assertThat(records.buffer().get(0)).isEqualTo((byte) 2);
        assertThat(in.readByte()).isEqualTo((byte) 5);
    }
}
