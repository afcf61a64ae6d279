package io.gregor.storage.log;

import io.gregor.protocol.record.MemoryRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/** Record batches built by kafka-clients (the oracle), as a producer would send them: offsets from 0. */
final class TestBatches {
    private TestBatches() {
    }

    /** One uncompressed batch of {@code count} records stamped {@code firstTimestamp}, +1 ms each. */
    static MemoryRecords batch(int count, long firstTimestamp) {
        return batch(Compression.NONE, count, firstTimestamp, 10);
    }

    static MemoryRecords batch(Compression compression, int count, long firstTimestamp, int valueSize) {
        ByteBuffer buffer = ByteBuffer.allocate(1024 + count * (valueSize + 64));
        MemoryRecordsBuilder builder = org.apache.kafka.common.record.MemoryRecords.builder(buffer, compression,
                TimestampType.CREATE_TIME, 0L);
        byte[] value = new byte[valueSize];
        for (int i = 0; i < count; i++) {
            builder.append(firstTimestamp + i, ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        return new MemoryRecords(builder.build().buffer());
    }

    /** A batch of an idempotent producer: {@code count} records from sequence {@code baseSequence}, based at offset 0. */
    static MemoryRecords idempotent(long producerId, short epoch, int baseSequence, int count, long firstTimestamp) {
        return idempotentAt(0L, producerId, epoch, baseSequence, count, firstTimestamp);
    }

    /** As {@link #idempotent}, with the offsets a leader gave it (what a follower replicates). */
    static MemoryRecords idempotentAt(long baseOffset, long producerId, short epoch, int baseSequence, int count,
                                      long firstTimestamp) {
        ByteBuffer buffer = ByteBuffer.allocate(1024 + count * 64);
        MemoryRecordsBuilder builder = org.apache.kafka.common.record.MemoryRecords.builder(buffer,
                RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE, TimestampType.CREATE_TIME, baseOffset,
                RecordBatch.NO_TIMESTAMP, producerId, epoch, baseSequence);
        for (int i = 0; i < count; i++) {
            builder.append(firstTimestamp + i, ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[10]);
        }
        return new MemoryRecords(builder.build().buffer());
    }

    /** Several batches back to back in one buffer, as one produce request partition carries them. */
    static MemoryRecords concat(MemoryRecords... parts) {
        int size = 0;
        for (MemoryRecords part : parts) {
            size += part.sizeInBytes();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (MemoryRecords part : parts) {
            all.put(part.buffer());
        }
        return new MemoryRecords(all.flip());
    }

    /** Parses stored bytes back with kafka-clients, validating every batch's CRC. */
    static List<RecordBatch> parse(ByteBuffer bytes) {
        List<RecordBatch> batches = new ArrayList<>();
        for (RecordBatch batch : org.apache.kafka.common.record.MemoryRecords.readableRecords(bytes).batches()) {
            batch.ensureValid();
            batches.add(batch);
        }
        return batches;
    }

    static List<Long> offsets(ByteBuffer bytes) {
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : parse(bytes)) {
            for (Record record : batch) {
                offsets.add(record.offset());
            }
        }
        return offsets;
    }
}
