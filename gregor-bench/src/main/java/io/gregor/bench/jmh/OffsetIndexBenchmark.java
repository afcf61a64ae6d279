package io.gregor.bench.jmh;

import io.gregor.storage.index.IndexEntry;
import io.gregor.storage.index.OffsetIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link OffsetIndex#lookup} of a random offset, as a fetch does to find where to start reading
 * in a segment. {@code entries} 1,000 is a young segment; 1,310,720 fills the default 10 MB index.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class OffsetIndexBenchmark {
    private static final long BASE_OFFSET = 1_000_000;
    private static final int OFFSETS_PER_ENTRY = 64;
    private static final int LOOKUPS = 4096;

    @Param({"1000", "1310720"})
    public int entries;

    private Path file;
    private OffsetIndex index;
    private final long[] targets = new long[LOOKUPS];
    private int next;

    @Setup
    public void setUp() throws IOException {
        file = Files.createTempFile("gregor-jmh-", ".index");
        Files.delete(file);
        index = new OffsetIndex(file, BASE_OFFSET, entries * 8);
        for (int i = 0; i < entries; i++) {
            index.append(BASE_OFFSET + (long) i * OFFSETS_PER_ENTRY, i * 4096);
        }
        Random random = new Random(7);
        for (int i = 0; i < LOOKUPS; i++) {
            targets[i] = BASE_OFFSET + (long) (random.nextDouble() * entries * OFFSETS_PER_ENTRY);
        }
    }

    @Benchmark
    public IndexEntry lookup() {
        next = (next + 1) & (LOOKUPS - 1);
        return index.lookup(targets[next]);
    }

    @TearDown
    public void tearDown() throws IOException {
        index.close();
        Files.deleteIfExists(file);
    }
}
