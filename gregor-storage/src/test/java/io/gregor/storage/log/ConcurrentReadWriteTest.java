package io.gregor.storage.log;

import static io.gregor.storage.log.TestBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lock-free readers against a writer that appends and rolls: they see whole, valid batches only. */
class ConcurrentReadWriteTest {
    static final int BATCHES = 400;
    static final int RECORDS_PER_BATCH = 5;

    @TempDir
    Path dir;

    @Test
    void readersSeeOnlyWholeValidBatchesBelowTheHighWatermark() throws Exception {
        MutableClock clock = new MutableClock(PartitionLogTest.NOW);
        try (PartitionLog log = PartitionLog.open(dir.resolve("race-0"),
                LogConfig.create(Map.of(), Map.of(LogConfig.SEGMENT_BYTES, "4096", LogConfig.INDEX_INTERVAL_BYTES, "200")),
                LogEnvironment.standalone(clock), true)) {
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                List<Future<Long>> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    readers.add(threads.submit(() -> readToTheEnd(log)));
                }
                Future<?> writer = threads.submit(() -> {
                    for (int i = 0; i < BATCHES; i++) {
                        log.append(batch(RECORDS_PER_BATCH, PartitionLogTest.NOW), AppendContext.leader(0));
                        log.updateHighWatermark(log.logEndOffset());
                    }
                });
                writer.get(30, TimeUnit.SECONDS);
                for (Future<Long> reader : readers) {
                    assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo((long) BATCHES * RECORDS_PER_BATCH);
                }
                assertThat(log.segmentCount()).isGreaterThan(5);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static long readToTheEnd(PartitionLog log) throws Exception {
        long next = 0;
        while (next < (long) BATCHES * RECORDS_PER_BATCH) {
            FetchDataInfo data = log.read(next, 1500, log.highWatermark(), true);
            if (data.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            for (RecordBatch batch : TestBatches.parse(((FileRecords) data.records()).readAll())) {
                assertThat(batch.baseOffset()).isEqualTo(next);
                assertThat(batch.lastOffset()).isLessThan(data.highWatermark());
                next = batch.nextOffset();
            }
        }
        return next;
    }
}
