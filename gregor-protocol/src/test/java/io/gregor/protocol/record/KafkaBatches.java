package io.gregor.protocol.record;

import java.nio.ByteBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.SimpleRecord;

/** Batches written by the real kafka-clients, the oracle our reader is checked against. */
final class KafkaBatches {
    static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    private KafkaBatches() {
    }

    static Compression compression(CompressionType type) {
        return switch (type) {
            case NONE -> Compression.NONE;
            case GZIP -> Compression.gzip().build();
            case SNAPPY -> Compression.snappy().build();
            case LZ4 -> Compression.lz4().build();
            case ZSTD -> Compression.zstd().build();
        };
    }

    /** A batch of {@code count} records: key "k{i}" (null for i==1), value "v{i}" (null for i==2), headers on odd i. */
    static ByteBuffer build(CompressionType type, long baseOffset, int count) {
        return build(type, baseOffset, count, -1L, (short) -1, -1, false);
    }

    static ByteBuffer build(CompressionType type, long baseOffset, int count, long producerId, short epoch,
                            int baseSequence, boolean transactional) {
        MemoryRecordsBuilder builder = org.apache.kafka.common.record.MemoryRecords.builder(
                ByteBuffer.allocate(1024), org.apache.kafka.common.record.RecordBatch.CURRENT_MAGIC_VALUE,
                compression(type), org.apache.kafka.common.record.TimestampType.CREATE_TIME, baseOffset,
                BASE_TIMESTAMP, producerId, epoch, baseSequence, transactional, 7);
        for (int i = 0; i < count; i++) {
            builder.append(record(i));
        }
        return builder.build().buffer();
    }

    static SimpleRecord record(int i) {
        byte[] key = i == 1 ? null : ("k" + i).getBytes();
        byte[] value = i == 2 ? null : ("value-" + i + "-" + "x".repeat(i * 10)).getBytes();
        Header[] headers = i % 2 == 1
                ? new Header[] {new RecordHeader("h" + i, ("hv" + i).getBytes()), new RecordHeader("empty", null)}
                : new Header[0];
        return new SimpleRecord(BASE_TIMESTAMP + i * 5L, key, value, headers);
    }

    static ByteBuffer concat(ByteBuffer... buffers) {
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer b : buffers) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    static org.apache.kafka.common.record.RecordBatch kafkaView(ByteBuffer buffer) {
        return org.apache.kafka.common.record.MemoryRecords.readableRecords(buffer.duplicate()).batches().iterator().next();
    }
}
