package io.gregor.bench.jmh;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.storage.log.AppendContext;
import io.gregor.storage.log.LogAppendInfo;
import io.gregor.storage.log.LogConfig;
import io.gregor.storage.log.LogEnvironment;
import io.gregor.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link PartitionLog#append} of one 64 KB client batch: validation (framing, CRC32C, sizes,
 * timestamps), offset assignment under the lock, the write to the active segment (page cache,
 * no fsync) and the index update. To keep the benchmark from filling the disk, the log is
 * truncated to offset 0 once it holds 256 MB; that cost, once per ~4,000 appends, is included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PartitionLogAppendBenchmark {
    private static final long TRUNCATE_AT_BYTES = 256L * 1024 * 1024;

    private Path dir;
    private PartitionLog log;
    private ByteBuffer batch;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("gregor-jmh-log-");
        LogConfig config = LogConfig.create(Map.of(), Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(1 << 30)));
        log = PartitionLog.open(dir.resolve(PartitionLog.dirName(new TopicPartition("bench", 0))), config,
                LogEnvironment.standalone(Clock.systemUTC()), true);
        batch = Batches.batchOf64Kb();
    }

    @Benchmark
    public LogAppendInfo append() {
        if (log.sizeInBytes() >= TRUNCATE_AT_BYTES) {
            log.truncateTo(0);
        }
        return log.append(new MemoryRecords(batch.duplicate()), AppendContext.leader(0));
    }

    @TearDown
    public void tearDown() throws IOException {
        log.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
