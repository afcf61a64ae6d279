package io.gregor.bench.jmh;

import io.gregor.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the produce path does to every batch before it is written: CRC32C over the batch
 * (attributes..end), the full validity check, and patching baseOffset and partitionLeaderEpoch
 * in place (the CRC does not cover them, so nothing is recomputed). One 64 KB batch of 1 KB records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RecordBatchBenchmark {
    private RecordBatch batch;
    private long nextOffset;

    @Setup
    public void setUp() {
        ByteBuffer buffer = Batches.batchOf64Kb();
        batch = RecordBatch.of(buffer);
    }

    @Benchmark
    public long crc32c() {
        return batch.computeChecksum();
    }

    @Benchmark
    public RecordBatch ensureValid() {
        batch.ensureValid();
        return batch;
    }

    @Benchmark
    public long patchOffsetAndEpoch() {
        batch.setBaseOffset(nextOffset);
        batch.setPartitionLeaderEpoch(7);
        nextOffset = batch.nextOffset();
        return nextOffset;
    }
}
