package io.gregor.storage.cleaner;

import io.gregor.protocol.record.CompressionType;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.storage.log.AppendContext;
import io.gregor.storage.log.FetchDataInfo;
import io.gregor.storage.log.FileRecords;
import io.gregor.storage.log.LogConfig;
import io.gregor.storage.log.LogEnvironment;
import io.gregor.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A partition log for cleaner tests: writes keyed batches, cleans, reads back what is stored. */
final class CleanerTestLog {
    static final long NOW = 1_700_000_000_000L;

    /** One stored record as read back; value null for a tombstone. */
    record Stored(long offset, String key, String value) {
    }

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        private volatile long millis = NOW;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    final Path dir;
    final Map<String, Object> overrides;
    final ManualClock clock = new ManualClock();
    PartitionLog log;
    long firstDirtyOffset;
    long nextDeleteHorizonMs = Long.MAX_VALUE;

    CleanerTestLog(Path parent, Map<String, Object> overrides) throws IOException {
        this.dir = parent.resolve("changelog-0");
        this.overrides = new LinkedHashMap<>(Map.of(LogConfig.CLEANUP_POLICY, "compact",
                LogConfig.SEGMENT_BYTES, 1024, LogConfig.FILE_DELETE_DELAY_MS, 0));
        this.overrides.putAll(overrides);
        open(true);
    }

    void open(boolean cleanShutdown) throws IOException {
        log = PartitionLog.open(dir, LogConfig.create(Map.of(), overrides), LogEnvironment.standalone(clock),
                cleanShutdown);
    }

    void close() throws IOException {
        log.close();
    }

    /** Appends one batch as a producer would; {@code keyValues} alternate key, value (null: tombstone). */
    long append(CompressionType compression, String... keyValues) {
        return append(MemoryRecordsBuilder.builder().compression(compression), keyValues);
    }

    long append(String... keyValues) {
        return append(CompressionType.NONE, keyValues);
    }

    long appendIdempotent(long producerId, int baseSequence, String... keyValues) {
        return append(MemoryRecordsBuilder.builder().producer(producerId, (short) 0, baseSequence), keyValues);
    }

    private long append(MemoryRecordsBuilder builder, String... keyValues) {
        builder.baseOffset(0);
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.append(clock.millis(), bytes(keyValues[i]), bytes(keyValues[i + 1]), List.of());
        }
        long first = log.append(builder.build(), AppendContext.leader(0)).firstOffset();
        log.updateHighWatermark(log.logEndOffset());
        return first;
    }

    /** Appends batches that already carry their offsets (transactions, markers), as a follower would. */
    void appendAsFollower(MemoryRecords records) {
        log.append(records, AppendContext.replication());
        log.updateHighWatermark(log.logEndOffset());
    }

    static ByteBuffer bytes(String text) {
        return text == null ? null : ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One cleaning pass as the cleaner thread would run it, from the first dirty offset and delete
     * horizon the last pass left; empty when nothing was due.
     */
    Optional<LogCompactor.Result> clean() throws IOException {
        CleanableLog cleanable = CleanableLog.of(log, firstDirtyOffset, nextDeleteHorizonMs, clock.millis());
        if (!cleanable.due()) {
            return Optional.empty();
        }
        Optional<LogCompactor.Result> result = new LogCompactor(new OffsetMap(1 << 20),
                new Throttler(Double.MAX_VALUE)).clean(log, cleanable.firstDirtyOffset(),
                cleanable.firstUncleanableOffset(), clock.millis());
        result.ifPresent(r -> {
            firstDirtyOffset = r.firstDirtyOffset();
            nextDeleteHorizonMs = r.earliestDeleteHorizonMs();
        });
        return result;
    }

    /** Every stored batch, validated by kafka-clients (CRC, framing). */
    List<org.apache.kafka.common.record.RecordBatch> kafkaBatches() throws IOException {
        List<org.apache.kafka.common.record.RecordBatch> batches = new ArrayList<>();
        for (org.apache.kafka.common.record.RecordBatch batch
                : org.apache.kafka.common.record.MemoryRecords.readableRecords(readAll()).batches()) {
            batch.ensureValid();
            batches.add(batch);
        }
        return batches;
    }

    /** Every stored record from the log start, in order. */
    List<Stored> records() throws IOException {
        List<Stored> records = new ArrayList<>();
        kafkaBatches(); // validates
        ByteBuffer all = readAll();
        for (RecordBatch batch : RecordBatch.batches(all)) {
            batch.forEachRecord(record -> records.add(new Stored(record.offset(), text(record.key()),
                    text(record.value()))));
        }
        return records;
    }

    /** The latest value of each key as a consumer reading everything would conclude; tombstones remove. */
    Map<String, String> latestValues() throws IOException {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Stored record : records()) {
            if (record.value() == null) {
                latest.remove(record.key());
            } else {
                latest.put(record.key(), record.value());
            }
        }
        return latest;
    }

    private ByteBuffer readAll() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            FetchDataInfo data = log.read(offset, Integer.MAX_VALUE, Long.MAX_VALUE, true);
            if (data.records().sizeInBytes() == 0) {
                break;
            }
            ByteBuffer bytes = ((FileRecords) data.records()).readAll();
            out.write(bytes.array(), 0, bytes.remaining());
            for (RecordBatch batch : RecordBatch.batches(bytes)) {
                offset = batch.nextOffset();
            }
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    private static String text(ByteBuffer bytes) {
        return bytes == null ? null : StandardCharsets.UTF_8.decode(bytes).toString();
    }
}
