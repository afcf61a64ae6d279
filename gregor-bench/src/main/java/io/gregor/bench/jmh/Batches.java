package io.gregor.bench.jmh;

import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import java.nio.ByteBuffer;
import java.util.Random;

/** Test data shared by the benchmarks: producer-shaped batches of 1 KB records. */
final class Batches {
    static final int RECORD_SIZE = 1024;
    /** batch.size of the compare run's producers. */
    static final int BATCH_BYTES = 64 * 1024;

    private Batches() {
    }

    /** One uncompressed batch of as many 1 KB random records as fit in 64 KB, as a producer would send it. */
    static ByteBuffer batchOf64Kb() {
        Random random = new Random(42);
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        long now = System.currentTimeMillis();
        byte[] value = new byte[RECORD_SIZE];
        while (builder.uncompressedSizeInBytes() + RECORD_SIZE + 16 < BATCH_BYTES) {
            random.nextBytes(value);
            builder.append(now, null, value);
        }
        MemoryRecords records = builder.build();
        return records.buffer().duplicate();
    }
}
