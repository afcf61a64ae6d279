package io.gregor.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.protocol.record.CompressionType;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.ControlRecordType;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import io.gregor.storage.cleaner.CleanerTestLog.Stored;
import io.gregor.storage.log.LogConfig;
import io.gregor.storage.producer.ProducerStateEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCompactorTest {
    @TempDir
    Path logDir;

    CleanerTestLog test;

    @AfterEach
    void close() throws IOException {
        if (test != null && !test.log.isClosed()) {
            test.close();
        }
    }

    /** Rounds of one batch per key; round r gives key k the value "r-k". */
    void writeRounds(int rounds, int keys) {
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                test.append("key-" + k, round + "-" + k);
            }
        }
    }

    @Test
    void keepsOnlyTheLatestRecordOfEachKeyAtItsOriginalOffset() throws IOException {
        test = new CleanerTestLog(logDir, Map.of());
        writeRounds(20, 10);
        test.append("marker", "last"); // so the final round is in an inactive segment too
        writeRounds(1, 1);
        int segmentsBefore = test.log.segmentCount();
        Map<String, String> latestBefore = test.latestValues();

        assertThat(test.clean()).isPresent();

        List<Stored> inactive = test.records().stream()
                .filter(r -> r.offset() < test.log.segments().get(test.log.segmentCount() - 1).baseOffset()).toList();
        assertThat(inactive).extracting(Stored::key).doesNotHaveDuplicates();
        assertThat(test.latestValues()).isEqualTo(latestBefore);
        Stored key3 = test.records().stream().filter(r -> r.key().equals("key-3")).findFirst().orElseThrow();
        assertThat(key3.offset()).isEqualTo(19 * 10 + 3);
        assertThat(key3.value()).isEqualTo("19-3");
        assertThat(test.log.segmentCount()).isLessThan(segmentsBefore);
        assertThat(test.log.logEndOffset()).isEqualTo(202);
    }

    @Test
    void neverTouchesTheActiveSegment() throws IOException {
        test = new CleanerTestLog(logDir, Map.of(LogConfig.SEGMENT_BYTES, 1024 * 1024));
        writeRounds(5, 3);

        assertThat(test.clean()).isEmpty();
        assertThat(test.records()).hasSize(15);
    }

    @Test
    void firstDirtyOffsetAdvancesAndACleanLogIsNotDueAgain() throws IOException {
        test = new CleanerTestLog(logDir, Map.of());
        writeRounds(20, 10);
        test.append("marker", "last");

        LogCompactor.Result first = test.clean().orElseThrow();

        assertThat(first.firstDirtyOffset()).isEqualTo(test.log.segments().get(test.log.segmentCount() - 1).baseOffset());
        assertThat(test.clean()).isEmpty();
    }

    @Test
    void tombstonesStayForDeleteRetentionMsThenDisappear() throws IOException {
        test = new CleanerTestLog(logDir, Map.of(LogConfig.DELETE_RETENTION_MS, 60_000L));
        writeRounds(5, 10);
        test.append("key-4", null);
        writeRounds(5, 10);
        test.append("key-7", null);
        for (int i = 0; i < 30; i++) {
            test.append("filler-" + i, "x"); // pushes the tombstone out of the active segment
        }

        test.clean().orElseThrow();
        assertThat(test.records()).filteredOn(r -> r.key().equals("key-7")).extracting(Stored::value)
                .containsExactly((String) null);
        test.clock.advance(59_000);
        assertThat(test.clean()).isEmpty(); // horizon not reached: nothing due
        assertThat(test.records()).filteredOn(r -> r.key().equals("key-7")).hasSize(1);

        test.clock.advance(2_000);
        test.clean().orElseThrow();

        assertThat(test.records()).filteredOn(r -> r.key().equals("key-7")).isEmpty();
        assertThat(test.latestValues()).containsKey("key-4").doesNotContainKey("key-7");
    }

    @Test
    void compressedBatchesAreRewrittenWithTheSameCodec() throws IOException {
        test = new CleanerTestLog(logDir, Map.of());
        for (int round = 0; round < 10; round++) {
            test.append(CompressionType.GZIP, "a", "a" + round, "b", "b" + round, "c", "c" + round);
            test.append(CompressionType.ZSTD, "a", "za" + round, "d", "d" + round);
        }
        test.append("end", "x");
        writeRounds(1, 1);

        test.clean().orElseThrow();

        assertThat(test.latestValues()).containsEntry("a", "za9").containsEntry("b", "b9").containsEntry("d", "d9");
        List<RecordBatch> batches = test.kafkaBatches();
        assertThat(batches).filteredOn(b -> b.compressionType() == org.apache.kafka.common.compress.Compression.NONE
                .type()).extracting(RecordBatch::countOrNull).isNotEmpty();
        RecordBatch gzip = batches.stream().filter(b -> b.compressionType().name.equals("gzip")).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(gzip.lastOffset() - gzip.baseOffset()).isEqualTo(2); // offset range kept although "a" went
        assertThat(test.records()).filteredOn(r -> r.key().equals("b")).hasSize(1);
    }

    @Test
    void lastBatchOfAProducerStaysAsAnEmptyHeaderSoItsSequenceSurvivesARebuild() throws IOException {
        test = new CleanerTestLog(logDir, Map.of());
        test.appendIdempotent(77L, 0, "a", "1", "b", "1");
        test.appendIdempotent(77L, 2, "a", "2", "b", "2");
        writeRounds(20, 2); // keys key-0/key-1: pushes the producer's batches out of the active segment
        test.append("a", "3", "b", "3"); // supersedes both batches of producer 77
        writeRounds(10, 3);

        test.clean().orElseThrow();

        List<RecordBatch> producerBatches = test.kafkaBatches().stream().filter(b -> b.producerId() == 77L).toList();
        assertThat(producerBatches).hasSize(1);
        RecordBatch kept = producerBatches.get(0);
        assertThat(kept.countOrNull()).isZero();
        assertThat(kept.baseSequence()).isEqualTo(2);
        assertThat(kept.lastSequence()).isEqualTo(3);
        assertThat(kept.baseOffset()).isEqualTo(2);
        assertThat(kept.lastOffset()).isEqualTo(3);

        test.close();
        try (Stream<Path> files = Files.list(test.dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".snapshot")).toList()) {
                Files.delete(file);
            }
        }
        Files.deleteIfExists(test.dir.resolve("recovery-point-checkpoint"));
        test.open(false);
        assertThat(test.log.producerState(77L)).get().extracting(ProducerStateEntry::lastSeq)
                .isEqualTo(java.util.Optional.of(3));
    }

    static MemoryRecords transactional(long offset, long producerId, int sequence, String key, String value) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().baseOffset(offset)
                .producer(producerId, (short) 0, sequence).transactional(true);
        builder.appendWithOffset(offset, CleanerTestLog.NOW, CleanerTestLog.bytes(key), CleanerTestLog.bytes(value),
                List.of());
        return builder.build();
    }

    static MemoryRecords marker(long offset, long producerId, ControlRecordType type) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().baseOffset(offset)
                .producer(producerId, (short) 0, -1).transactional(true).controlBatch(true);
        builder.appendEndTransactionMarker(CleanerTestLog.NOW, type, 0);
        return builder.build();
    }

    @Test
    void abortedTransactionalRecordsGoAndMarkersStayUntilTheirHorizonAndTheirTransactionIsGone() throws IOException {
        test = new CleanerTestLog(logDir, Map.of(LogConfig.DELETE_RETENTION_MS, 1_000L));
        test.append("a", "committed-before");
        test.appendAsFollower(transactional(1, 5L, 0, "a", "aborted"));
        test.appendAsFollower(transactional(2, 6L, 0, "b", "committed"));
        test.appendAsFollower(marker(3, 5L, ControlRecordType.ABORT));
        test.appendAsFollower(marker(4, 6L, ControlRecordType.COMMIT));
        writeRounds(20, 2);
        test.append("end", "x");

        test.clean().orElseThrow();

        assertThat(test.latestValues()).containsEntry("a", "committed-before").containsEntry("b", "committed");
        assertThat(test.records()).extracting(Stored::value).doesNotContain("aborted");
        assertThat(test.kafkaBatches()).filteredOn(RecordBatch::isControlBatch).extracting(RecordBatch::baseOffset)
                .containsExactly(3L, 4L);

        test.clock.advance(1_001);
        test.clean().orElseThrow();

        assertThat(test.kafkaBatches()).filteredOn(RecordBatch::isControlBatch).extracting(RecordBatch::baseOffset)
                .containsExactly(4L); // the abort marker's transaction left nothing; the commit's kept "b"
        assertThat(test.latestValues()).containsEntry("b", "committed");
    }

    @Test
    void nothingIsCleanedFromAnOpenTransactionOn() throws IOException {
        test = new CleanerTestLog(logDir, Map.of());
        writeRounds(10, 2);
        long open = test.log.logEndOffset();
        test.appendAsFollower(transactional(open, 9L, 0, "key-0", "uncommitted"));
        writeRounds(10, 2);
        test.append("end", "x");

        test.clean().orElseThrow();

        assertThat(test.firstDirtyOffset).isLessThanOrEqualTo(open);
        assertThat(test.records()).filteredOn(r -> r.offset() > open).hasSize(21);
        assertThat(test.records()).extracting(Stored::value).contains("uncommitted", "9-0");
    }
}
