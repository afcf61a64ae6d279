package io.gregor.storage.log;

import static io.gregor.storage.log.TestBatches.batch;
import static io.gregor.storage.log.TestBatches.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.record.MemoryRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
    static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path logDir;

    final MutableClock clock = new MutableClock(NOW);
    PartitionLog log;

    @AfterEach
    void closeLog() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    PartitionLog open(Map<String, ?> overrides) throws IOException {
        return open(overrides, true);
    }

    PartitionLog open(Map<String, ?> overrides, boolean clean) throws IOException {
        log = PartitionLog.open(logDir.resolve("orders-0"), LogConfig.create(Map.of(), overrides),
                LogEnvironment.standalone(clock), clean);
        return log;
    }

    LogAppendInfo append(MemoryRecords records) {
        LogAppendInfo info = log.append(records, AppendContext.leader(3));
        log.updateHighWatermark(log.logEndOffset());
        return info;
    }

    ByteBuffer readAll(long from) throws IOException {
        FetchDataInfo data = log.read(from, Integer.MAX_VALUE, Long.MAX_VALUE, false);
        return ((FileRecords) data.records()).readAll();
    }

    @Test
    void appendAssignsOffsetsAndPatchesHeadersWithValidCrc() throws IOException {
        open(Map.of());

        LogAppendInfo first = log.append(concat(batch(5, NOW), batch(5, NOW), batch(5, NOW)), AppendContext.leader(7));
        LogAppendInfo second = log.append(batch(2, NOW), AppendContext.leader(7));
        log.updateHighWatermark(log.logEndOffset());

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(14);
        assertThat(first.recordCount()).isEqualTo(15);
        assertThat(first.logAppendTime()).isEqualTo(io.gregor.protocol.record.RecordBatch.NO_TIMESTAMP);
        assertThat(second.firstOffset()).isEqualTo(15);
        assertThat(log.logEndOffset()).isEqualTo(17);
        List<RecordBatch> stored = TestBatches.parse(readAll(0));
        assertThat(stored).extracting(RecordBatch::baseOffset).containsExactly(0L, 5L, 10L, 15L);
        assertThat(stored).extracting(RecordBatch::partitionLeaderEpoch).containsOnly(7);
        assertThat(TestBatches.offsets(readAll(0))).hasSize(17).startsWith(0L, 1L, 2L).endsWith(16L);
    }

    @Test
    void compressedBatchesAreStoredAsTheyCame() throws IOException {
        open(Map.of());
        MemoryRecords gzip = batch(Compression.gzip().build(), 20, NOW, 100);
        int sentSize = gzip.sizeInBytes();

        LogAppendInfo info = append(gzip);

        assertThat(info.lastOffset()).isEqualTo(19);
        ByteBuffer stored = readAll(0);
        assertThat(stored.remaining()).isEqualTo(sentSize);
        assertThat(TestBatches.offsets(stored)).hasSize(20).endsWith(19L);
    }

    @Test
    void rollsToNewSegmentWhenSegmentBytesReached() throws IOException {
        open(Map.of(LogConfig.SEGMENT_BYTES, "1024"));
        int batchSize = batch(3, NOW).sizeInBytes();

        for (int i = 0; i < 20; i++) {
            append(batch(3, NOW));
        }

        assertThat(log.segmentCount()).isGreaterThan(1);
        assertThat(log.segments()).allSatisfy(s -> assertThat(s.sizeInBytes()).isLessThanOrEqualTo(1024));
        assertThat(log.segments().get(1).baseOffset()).isEqualTo(3L * (1024 / batchSize));
        try (Stream<Path> files = Files.list(log.dir())) {
            // a segment smaller than index.interval.bytes gets no offset index entry, and so no
            // .index file; its time index gets the segment's last entry at roll
            assertThat(files.map(f -> f.getFileName().toString()))
                    .contains("00000000000000000000.log", "00000000000000000000.timeindex",
                            LogSegment.filenamePrefix(log.segments().get(1).baseOffset()) + ".log")
                    .doesNotContain("00000000000000000000.index");
        }
        assertThat(TestBatches.offsets(readAll(0)).get(0)).isZero();
        assertThat(log.read(59, 1 << 20, Long.MAX_VALUE, false).records().sizeInBytes()).isEqualTo(batchSize);
    }

    @Test
    void rollsWhenSegmentMsElapsed() throws IOException {
        open(Map.of(LogConfig.SEGMENT_MS, "1000"));
        append(batch(1, NOW));

        clock.advance(1001);
        append(batch(1, NOW));

        assertThat(log.segments()).extracting(LogSegment::baseOffset).containsExactly(0L, 1L);
    }

    @Test
    void readRespectsMaxBytesAndBatchBoundaries() throws IOException {
        open(Map.of());
        int size = batch(5, NOW).sizeInBytes();
        for (int i = 0; i < 5; i++) {
            append(batch(5, NOW));
        }

        FetchDataInfo twoAndAHalf = log.read(0, size * 5 / 2, Long.MAX_VALUE, false);
        FetchDataInfo fromMiddle = log.read(7, size, Long.MAX_VALUE, false);

        assertThat(twoAndAHalf.records().sizeInBytes()).isEqualTo(2 * size);
        assertThat(TestBatches.parse(((FileRecords) fromMiddle.records()).readAll()))
                .extracting(RecordBatch::baseOffset).containsExactly(5L);
        assertThat(twoAndAHalf.highWatermark()).isEqualTo(25);
        assertThat(twoAndAHalf.logEndOffset()).isEqualTo(25);
    }

    @Test
    void readsSkippingIndexedBatchesEndWhereAWalkOfEveryHeaderWould() throws IOException {
        open(Map.of(LogConfig.INDEX_INTERVAL_BYTES, 0)); // every batch but the first indexed
        int size = batch(5, NOW).sizeInBytes();
        for (int i = 0; i < 20; i++) {
            log.append(batch(5, NOW), AppendContext.leader(0));
        }

        for (long from : List.of(0L, 7L, 33L, 95L)) {
            for (int maxBytes : List.of(size - 1, size, size * 3 - 1, size * 3, size * 3 + 1, size * 50)) {
                for (long maxOffsetExclusive : List.of(12L, 50L, 100L)) {
                    List<Long> expected = new ArrayList<>();
                    long bytes = 0;
                    for (long base = from / 5 * 5; base + 4 < maxOffsetExclusive && bytes + size <= maxBytes; base += 5) {
                        expected.add(base);
                        bytes += size;
                    }
                    FetchDataInfo read = log.read(from, maxBytes, maxOffsetExclusive, false);
                    List<Long> got = read.isEmpty() ? List.of()
                            : TestBatches.parse(((FileRecords) read.records()).readAll()).stream()
                                    .map(RecordBatch::baseOffset).toList();
                    assertThat(got).as("from %d, max bytes %d, below offset %d", from, maxBytes, maxOffsetExclusive)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void minOneMessageReturnsTheFirstWholeBatchEvenIfLargerThanMaxBytes() throws IOException {
        open(Map.of());
        int size = batch(5, NOW).sizeInBytes();
        append(batch(5, NOW));
        append(batch(5, NOW));

        assertThat(log.read(0, size / 2, Long.MAX_VALUE, true).records().sizeInBytes()).isEqualTo(size);
        assertThat(log.read(0, size / 2, Long.MAX_VALUE, false).isEmpty()).isTrue();
    }

    @Test
    void readStopsAtTheHighWatermark() throws IOException {
        open(Map.of());
        for (int i = 0; i < 3; i++) {
            log.append(batch(5, NOW), AppendContext.leader(0));
        }
        log.updateHighWatermark(10);

        FetchDataInfo consumerView = log.read(0, Integer.MAX_VALUE, log.highWatermark(), false);
        FetchDataInfo atHighWatermark = log.read(10, Integer.MAX_VALUE, log.highWatermark(), true);

        assertThat(TestBatches.offsets(((FileRecords) consumerView.records()).readAll())).hasSize(10).endsWith(9L);
        assertThat(atHighWatermark.isEmpty()).isTrue();
        assertThat(log.logEndOffset()).isEqualTo(15);
        assertThat(log.highWatermark()).isEqualTo(10);
    }

    @Test
    void fetchOutsideTheLogIsOffsetOutOfRange() throws IOException {
        open(Map.of());
        append(batch(5, NOW));

        assertThat(log.read(5, 1000, Long.MAX_VALUE, true).isEmpty()).isTrue();
        assertThatThrownBy(() -> log.read(6, 1000, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class).hasMessageContaining("6");
        assertThatThrownBy(() -> log.read(-1, 1000, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void fileRecordsTransferToSendsTheRegion() throws IOException {
        open(Map.of());
        append(batch(5, NOW));
        FileRecords records = (FileRecords) log.read(0, 1 << 20, Long.MAX_VALUE, false).records();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        long sent = records.transferTo(java.nio.channels.Channels.newChannel(out), 0, records.sizeInBytes());

        assertThat(sent).isEqualTo(records.sizeInBytes());
        assertThat(out.toByteArray()).isEqualTo(records.readAll().array());
    }

    @Test
    void logAppendTimeRewritesMaxTimestampAndKeepsCrcValid() throws IOException {
        open(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, LogConfig.LOG_APPEND_TIME));

        LogAppendInfo info = append(batch(4, 5L));

        assertThat(info.logAppendTime()).isEqualTo(NOW);
        RecordBatch stored = TestBatches.parse(readAll(0)).get(0);
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(NOW);
        assertThat(stored.iterator().next().timestamp()).isEqualTo(NOW);
    }

    @Test
    void refusesCorruptOversizedAndOldMagicBatches() throws IOException {
        open(Map.of(LogConfig.MAX_MESSAGE_BYTES, "2000", LogConfig.SEGMENT_BYTES, "10000"));
        MemoryRecords corrupt = batch(5, NOW);
        ByteBuffer bytes = corrupt.buffer();
        bytes.put(bytes.limit() - 1, (byte) (bytes.get(bytes.limit() - 1) ^ 1));
        MemoryRecords oldMagic = batch(5, NOW);
        oldMagic.buffer().put(io.gregor.protocol.record.RecordBatch.MAGIC_OFFSET, (byte) 1);
        MemoryRecords torn = new MemoryRecords(batch(5, NOW).buffer().limit(40));

        // each refusal says why, where Kafka keeps a meter of the reason
        assertThatThrownBy(() -> append(corrupt)).isInstanceOf(CorruptRecordException.class).hasMessageContaining("CRC")
                .extracting(e -> ((LogException) e).defect()).isEqualTo(Optional.of(BatchDefect.CRC));
        assertThatThrownBy(() -> append(torn)).isInstanceOf(CorruptRecordException.class)
                .extracting(e -> ((LogException) e).defect()).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> append(oldMagic)).isInstanceOf(InvalidRecordException.class)
                .extracting(e -> ((LogException) e).defect()).isEqualTo(Optional.of(BatchDefect.MAGIC));
        assertThatThrownBy(() -> append(batch(Compression.NONE, 1, NOW, 3000)))
                .isInstanceOf(RecordTooLargeException.class).hasMessageContaining("max.message.bytes")
                .extracting(e -> ((LogException) e).defect()).isEqualTo(Optional.of(BatchDefect.TOO_LARGE));
        MemoryRecords many = concat(batch(Compression.NONE, 1, NOW, 1500), batch(Compression.NONE, 1, NOW, 1500),
                batch(Compression.NONE, 1, NOW, 1500), batch(Compression.NONE, 1, NOW, 1500),
                batch(Compression.NONE, 1, NOW, 1500), batch(Compression.NONE, 1, NOW, 1500),
                batch(Compression.NONE, 1, NOW, 1500));
        assertThatThrownBy(() -> append(many)).isInstanceOf(RecordBatchTooLargeException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void compactedTopicRefusesRecordsWithoutKeys() throws IOException {
        open(Map.of(LogConfig.CLEANUP_POLICY, "compact"));
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        var builder = org.apache.kafka.common.record.MemoryRecords.builder(buffer, Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        builder.append(NOW, "k".getBytes(), "v".getBytes());
        builder.append(NOW, null, "no key".getBytes());
        MemoryRecords keyless = new MemoryRecords(builder.build().buffer());

        assertThatThrownBy(() -> append(keyless)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("key")
                .extracting(e -> ((LogException) e).defect()).isEqualTo(Optional.of(BatchDefect.NO_KEY_ON_COMPACTED_TOPIC));
        assertThat(append(batch(Compression.gzip().build(), 3, NOW, 10)).lastOffset()).isEqualTo(2);
    }

    @Test
    void refusesTimestampsTooFarInTheFuture() throws IOException {
        open(Map.of(LogConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS, "1000"));

        assertThatThrownBy(() -> append(batch(1, NOW + 5000))).isInstanceOf(InvalidTimestampException.class);
        assertThat(append(batch(1, NOW + 500)).lastOffset()).isZero();
    }

    /** 100 records with timestamps base + i * 1000, in batches of 10, small segments and a dense index. */
    void writeTimedRecords(long base) {
        for (int b = 0; b < 10; b++) {
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            var builder = org.apache.kafka.common.record.MemoryRecords.builder(buffer, Compression.NONE,
                    TimestampType.CREATE_TIME, 0L);
            for (int i = 0; i < 10; i++) {
                int n = b * 10 + i;
                builder.append(base + n * 1000L, ("k" + n).getBytes(), ("v" + n).getBytes());
            }
            append(new MemoryRecords(builder.build().buffer()));
        }
    }

    @Test
    void findsTheFirstRecordAtOrAfterATimestamp() throws IOException {
        open(Map.of(LogConfig.SEGMENT_BYTES, "1500", LogConfig.INDEX_INTERVAL_BYTES, "1"));
        long base = NOW - 1_000_000;
        writeTimedRecords(base);

        assertThat(log.segmentCount()).isGreaterThan(1);
        assertThat(log.fetchOffsetByTimestamp(base + 42_500)).contains(new TimestampAndOffset(base + 43_000, 43));
        assertThat(log.fetchOffsetByTimestamp(base + 5_000)).contains(new TimestampAndOffset(base + 5_000, 5));
        assertThat(log.fetchOffsetByTimestamp(0)).contains(new TimestampAndOffset(base, 0));
        assertThat(log.fetchOffsetByTimestamp(base + 1_000_000)).isEmpty();
        assertThat(log.offsetOfMaxTimestamp()).contains(new TimestampAndOffset(base + 99_000, 99));
        assertThat(log.leaderEpochFor(50)).contains(3);
    }

    @Test
    void timestampLookupOpensCompressedBatches() throws IOException {
        open(Map.of());
        append(batch(5, NOW - 100));
        append(batch(Compression.gzip().build(), 10, NOW - 50, 10));

        assertThat(log.fetchOffsetByTimestamp(NOW - 45)).contains(new TimestampAndOffset(NOW - 45, 10));
        assertThat(log.offsetOfMaxTimestamp()).contains(new TimestampAndOffset(NOW - 41, 14));
    }

    @Test
    void deleteRecordsMovesLogStartOffsetAndSurvivesReopen() throws IOException {
        open(Map.of(LogConfig.SEGMENT_BYTES, "1024"));
        for (int i = 0; i < 20; i++) {
            append(batch(3, NOW));
        }
        int segmentsBefore = log.segmentCount();

        long lowWatermark = log.deleteRecordsBefore(30);

        assertThat(lowWatermark).isEqualTo(30);
        assertThat(log.logStartOffset()).isEqualTo(30);
        assertThat(log.segmentCount()).isLessThan(segmentsBefore);
        assertThat(log.segments().get(0).baseOffset()).isLessThanOrEqualTo(30);
        assertThatThrownBy(() -> log.read(29, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(TestBatches.offsets(readAll(30))).contains(30L);

        log.close();
        open(Map.of(LogConfig.SEGMENT_BYTES, "1024"));
        assertThat(log.logStartOffset()).isEqualTo(30);
        assertThat(log.logEndOffset()).isEqualTo(60);
    }

    @Test
    void deleteRecordsAboveHighWatermarkIsOutOfRange() throws IOException {
        open(Map.of());
        log.append(batch(5, NOW), AppendContext.leader(0));
        log.updateHighWatermark(2);

        assertThatThrownBy(() -> log.deleteRecordsBefore(3)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.deleteRecordsBefore(2)).isEqualTo(2);
    }

    @Test
    void truncateToDropsTheTailAndItsEpochs() throws IOException {
        open(Map.of(LogConfig.SEGMENT_BYTES, "1024"));
        for (int i = 0; i < 10; i++) {
            log.append(batch(3, NOW), AppendContext.leader(1));
        }
        for (int i = 0; i < 10; i++) {
            log.append(batch(3, NOW), AppendContext.leader(2));
        }
        log.updateHighWatermark(log.logEndOffset());

        log.truncateTo(15);

        assertThat(log.logEndOffset()).isEqualTo(15);
        assertThat(log.highWatermark()).isEqualTo(15);
        assertThat(log.leaderEpochCache().latestEpoch()).contains(1);
        assertThat(TestBatches.offsets(readAll(0))).hasSize(15).endsWith(14L);
        assertThat(log.append(batch(3, NOW), AppendContext.leader(4)).firstOffset()).isEqualTo(15);
        assertThat(log.endOffsetForEpoch(1).endOffset()).isEqualTo(15);
    }

    @Test
    void cleanReopenTrustsIndexesAndKeepsEverything() throws IOException {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "2048", LogConfig.INDEX_INTERVAL_BYTES, "100");
        open(config);
        for (int i = 0; i < 30; i++) {
            append(batch(3, NOW + i));
        }
        ByteBuffer before = readAll(0);
        log.close();

        open(config, true);

        assertThat(log.logEndOffset()).isEqualTo(90);
        assertThat(log.highWatermark()).isEqualTo(90);
        assertThat(readAll(0)).isEqualTo(before);
        assertThat(log.read(45, 1 << 20, Long.MAX_VALUE, false).records().sizeInBytes()).isPositive();
        assertThat(log.offsetOfMaxTimestamp().orElseThrow().offset()).isEqualTo(89);
        assertThat(append(batch(1, NOW)).firstOffset()).isEqualTo(90);
    }

    @Test
    void aNewLogsFirstLeaderEpochIsWrittenBeforeItsFlushAndRebuiltFromItsBatchesIfACrashLostIt()
            throws IOException {
        open(Map.of());
        Path checkpoint = log.dir().resolve(io.gregor.storage.epoch.LeaderEpochCache.FILE_NAME);
        log.append(batch(4, NOW), AppendContext.leader(3));
        log.append(batch(4, NOW), AppendContext.leader(3));
        log.flush();
        assertThat(checkpoint).as("written before the recovery point passes the batches").exists();
        log.append(batch(2, NOW), AppendContext.leader(5));
        List<io.gregor.storage.epoch.EpochEntry> epochs = log.leaderEpochCache().entries();
        assertThat(epochs).hasSize(2);

        Files.delete(checkpoint); // a crash before the checkpoint reached the disk
        log = null;
        open(Map.of(), false);

        assertThat(log.leaderEpochCache().entries()).isEqualTo(epochs);
        assertThat(log.endOffsetForEpoch(3).endOffset()).isEqualTo(8);
    }

    @Test
    void reopenAfterACrashStartsFromTheCheckpointedHighWatermarkNotTheLogEnd() throws IOException {
        open(Map.of());
        for (int i = 0; i < 5; i++) {
            log.append(batch(2, NOW), AppendContext.leader(1));
        }
        log.updateHighWatermark(4);
        log.checkpointHighWatermark();
        log.updateHighWatermark(6); // not checkpointed yet
        log = null; // crash: never closed

        open(Map.of(), false);

        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(log.highWatermark()).as("the replicas may never have had offsets 4-9").isEqualTo(4);
        log.close();
        open(Map.of(), true);
        assertThat(log.highWatermark()).as("a clean close writes it").isEqualTo(4);
    }

    @Test
    void recoveryTruncatesTornLastBatch() throws IOException {
        open(Map.of());
        for (int i = 0; i < 10; i++) {
            append(batch(10, NOW));
        }
        Path segment = log.segments().get(0).logFile();
        long size = Files.size(segment);
        int batchSize = batch(10, NOW).sizeInBytes();
        log = null; // crash: never closed

        try (var channel = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size - batchSize / 2);
        }
        open(Map.of(), false);

        assertThat(log.logEndOffset()).isEqualTo(90);
        assertThat(Files.size(segment)).isEqualTo(size - batchSize);
        assertThat(TestBatches.offsets(readAll(0))).hasSize(90);
        assertThat(append(batch(10, NOW)).firstOffset()).isEqualTo(90);
    }

    @Test
    void recoveryTruncatesCorruptTail() throws IOException {
        open(Map.of(LogConfig.INDEX_INTERVAL_BYTES, "1"));
        for (int i = 0; i < 10; i++) {
            append(batch(10, NOW));
        }
        Path segment = log.segments().get(0).logFile();
        long size = Files.size(segment);
        int batchSize = batch(10, NOW).sizeInBytes();
        log = null;

        try (var channel = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {42, 42, 42}), size - batchSize * 2 + 70);
        }
        open(Map.of(LogConfig.INDEX_INTERVAL_BYTES, "1"), false);

        assertThat(log.logEndOffset()).isEqualTo(80);
        assertThat(Files.size(segment)).isEqualTo(size - 2L * batchSize);
        assertThat(log.read(75, 1 << 20, Long.MAX_VALUE, false).records().sizeInBytes()).isEqualTo(batchSize);
    }

    @Test
    void rolledSegmentsAreFlushedInTheBackgroundAndMoveTheRecoveryPoint() throws IOException {
        open(Map.of(LogConfig.SEGMENT_BYTES, "1024"));
        for (int i = 0; i < 10; i++) {
            append(batch(3, NOW));
        }
        long activeBase = log.segments().get(log.segmentCount() - 1).baseOffset();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> log.recoveryPoint() == activeBase);
        assertThat(Files.readString(log.dir().resolve(PartitionLog.RECOVERY_POINT_CHECKPOINT)).trim())
                .isEqualTo(Long.toString(activeBase));
    }

    @Test
    void recoveryScansEverySegmentAfterTheRecoveryPointAndDropsThoseAfterCorruption() throws IOException {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "1024");
        open(config);
        for (int i = 0; i < 20; i++) {
            append(batch(3, NOW));
        }
        List<LogSegment> segments = log.segments();
        assertThat(segments.size()).isGreaterThanOrEqualTo(3);
        Path middle = segments.get(1).logFile();
        long middleBase = segments.get(1).baseOffset();
        log.close();
        log = null;
        // As if the crash came before any flush, with a byte of the middle segment's second batch flipped.
        Files.writeString(logDir.resolve("orders-0").resolve(PartitionLog.RECOVERY_POINT_CHECKPOINT), "0");
        try (var channel = java.nio.channels.FileChannel.open(middle, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {7}), batch(3, NOW).sizeInBytes() + 70);
        }

        open(config, false);

        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(middleBase + 3);
        assertThat(TestBatches.offsets(readAll(middleBase))).containsExactly(middleBase, middleBase + 1, middleBase + 2);
        assertThat(append(batch(3, NOW)).firstOffset()).isEqualTo(middleBase + 3);
    }

    @Test
    void retentionByTimeDeletesWholeOldSegmentsOnly() throws IOException {
        Map<String, Object> config = new HashMap<>(Map.of(LogConfig.SEGMENT_BYTES, "1024",
                LogConfig.RETENTION_MS, "60000"));
        open(config);
        for (int i = 0; i < 10; i++) {
            append(batch(3, NOW - 120_000));
        }
        int oldSegments = log.segmentCount();
        for (int i = 0; i < 10; i++) {
            append(batch(3, NOW));
        }

        int deleted = log.deleteRetainedSegments();

        assertThat(deleted).isGreaterThan(0).isLessThanOrEqualTo(oldSegments);
        assertThat(log.logStartOffset()).isEqualTo(log.segments().get(0).baseOffset());
        assertThat(log.fetchOffsetByTimestamp(0).orElseThrow().offset()).isGreaterThanOrEqualTo(log.logStartOffset());
        assertThat(log.logEndOffset()).isEqualTo(60);
        try (Stream<Path> files = Files.list(log.dir())) {
            assertThat(files.filter(f -> f.toString().endsWith(".log")).count()).isEqualTo(log.segmentCount());
        }
    }

    @Test
    void retentionBySizeNeverDeletesTheActiveSegment() throws IOException {
        open(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_BYTES, "0"));
        for (int i = 0; i < 20; i++) {
            append(batch(3, NOW));
        }

        log.deleteRetainedSegments();

        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(log.segments().get(0).baseOffset()).isPositive();
        assertThat(log.logEndOffset()).isEqualTo(60);
    }

    @Test
    void flushMessagesReachedFlushesInTheBackground() throws IOException {
        open(Map.of(LogConfig.FLUSH_MESSAGES, "10"));
        append(batch(5, NOW));
        assertThat(log.recoveryPoint()).isZero();

        append(batch(5, NOW));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> log.recoveryPoint() == 10);
        assertThat(log.flushDue(NOW)).isFalse();
    }

    @Test
    void flushMsSaysWhenALogIsDue() throws IOException {
        open(Map.of(LogConfig.FLUSH_MS, "1000"));
        append(batch(5, NOW));
        assertThat(log.flushDue(clock.millis())).isFalse();

        clock.advance(1000);
        assertThat(log.flushDue(clock.millis())).isTrue();

        log.flush();
        assertThat(log.flushDue(clock.millis())).isFalse();
        assertThat(log.recoveryPoint()).isEqualTo(5);
    }
}
