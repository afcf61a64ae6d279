package io.gregor.storage.log;

import static io.gregor.storage.log.TestBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.storage.recovery.CleanShutdownMarker;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    static final long NOW = PartitionLogTest.NOW;

    @TempDir
    Path root;

    final MutableClock clock = new MutableClock(NOW);
    LogManager manager;

    @AfterEach
    void shutdown() {
        if (manager != null) {
            manager.shutdown();
        }
    }

    LogManager start(List<Path> dirs, long retentionCheckMs) {
        manager = new LogManager(new LogManagerConfig(dirs, Map.of(), retentionCheckMs, 1_000, 2), clock);
        manager.startup();
        return manager;
    }

    static void appendTo(PartitionLog log, int batches) {
        for (int i = 0; i < batches; i++) {
            log.append(batch(10, NOW), AppendContext.leader(0));
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void createsManyLogsAtOnceSpreadOverDirectoriesAndKeepsThoseItHas() {
        List<Path> dirs = List.of(root.resolve("a"), root.resolve("b"));
        start(dirs, 300_000);
        TopicPartition existing = new TopicPartition("many", 0);
        PartitionLog first = manager.getOrCreateLog(existing, manager.logConfig(Map.of()));
        appendTo(first, 1);
        Map<TopicPartition, LogConfig> wanted = new java.util.LinkedHashMap<>();
        for (int p = 0; p < 100; p++) {
            wanted.put(new TopicPartition("many", p), manager.logConfig(Map.of(LogConfig.RETENTION_MS, "1000")));
        }

        manager.createLogs(wanted);

        assertThat(manager.allLogs()).hasSize(100);
        assertThat(manager.logsIn(dirs.get(0))).hasSize(50);
        assertThat(manager.logsIn(dirs.get(1))).hasSize(50);
        assertThat(manager.getOrCreateLog(existing, manager.logConfig(Map.of()))).isSameAs(first);
        assertThat(first.logEndOffset()).isEqualTo(10L);
        PartitionLog created = manager.getLog(new TopicPartition("many", 99)).orElseThrow();
        assertThat(created.logEndOffset()).isZero();
        assertThat(created.dir()).isDirectory();
        appendTo(created, 2);
        assertThat(created.logEndOffset()).isEqualTo(20L);
    }

    @Test
    void aNewLogMakesOnlyItsDirectoryAndFirstSegmentFileAndIsWrittenAndReloadedAsAnyOther() throws IOException {
        List<Path> dirs = List.of(root.resolve("data"));
        start(dirs, 300_000);
        TopicPartition tp = new TopicPartition("fresh", 0);

        PartitionLog log = manager.getOrCreateLog(tp, manager.logConfig(Map.of()));

        try (var files = Files.list(log.dir())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("00000000000000000000.log");
        }
        appendTo(log, 3);
        manager.shutdown();
        start(dirs, 300_000);
        PartitionLog reloaded = manager.getLog(tp).orElseThrow();
        assertThat(reloaded.logEndOffset()).isEqualTo(30L);
        assertThat(reloaded.leaderEpochCache().entries()).isEqualTo(log.leaderEpochCache().entries()).isNotEmpty();
    }

    @Test
    void spreadsLogsOverDirectoriesAndReloadsThemAfterCleanShutdown() {
        List<Path> dirs = List.of(root.resolve("a"), root.resolve("b"));
        start(dirs, 300_000);
        for (int p = 0; p < 4; p++) {
            appendTo(manager.getOrCreateLog(new TopicPartition("events", p), manager.logConfig(Map.of())), p + 1);
        }
        assertThat(manager.logsIn(dirs.get(0))).hasSize(2);
        assertThat(manager.logsIn(dirs.get(1))).hasSize(2);

        manager.shutdown();
        assertThat(dirs).allSatisfy(d -> assertThat(d.resolve(CleanShutdownMarker.FILE_NAME)).exists());
        start(dirs, 300_000);

        assertThat(manager.allLogs()).hasSize(4);
        for (int p = 0; p < 4; p++) {
            PartitionLog log = manager.getLog(new TopicPartition("events", p)).orElseThrow();
            assertThat(log.logEndOffset()).isEqualTo(10L * (p + 1));
            assertThat(log.highWatermark()).isEqualTo(log.logEndOffset());
        }
        assertThat(dirs).allSatisfy(d -> assertThat(d.resolve(CleanShutdownMarker.FILE_NAME)).doesNotExist());
    }

    @Test
    void aDirectoryWithALogThatFailedToCloseIsNotMarkedCleanAndTheOthersAre() throws IOException {
        List<Path> dirs = List.of(root.resolve("a"), root.resolve("b"));
        start(dirs, 300_000);
        for (int p = 0; p < 40; p++) {
            appendTo(manager.getOrCreateLog(new TopicPartition("events", p), manager.logConfig(Map.of())), 1);
        }
        PartitionLog broken = manager.logsIn(dirs.get(0)).iterator().next();
        // its checkpoints cannot be written any more: the directory is gone under the open files
        try (var files = Files.list(broken.dir())) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(broken.dir());

        manager.shutdown();

        assertThat(dirs.get(0).resolve(CleanShutdownMarker.FILE_NAME)).doesNotExist();
        assertThat(dirs.get(1).resolve(CleanShutdownMarker.FILE_NAME)).exists();
        manager = null;
    }

    @Test
    void logLoadedAtStartupTakesItsTopicConfigWhenAskedFor() {
        List<Path> dirs = List.of(root.resolve("data"));
        TopicPartition tp = new TopicPartition("tuned", 0);
        start(dirs, 300_000);
        manager.getOrCreateLog(tp, manager.logConfig(Map.of(LogConfig.RETENTION_MS, "1000")));
        manager.shutdown();
        start(dirs, 300_000);
        assertThat(manager.getLog(tp).orElseThrow().config().retentionMs()).isEqualTo(604_800_000L);

        PartitionLog log = manager.getOrCreateLog(tp, manager.logConfig(Map.of(LogConfig.RETENTION_MS, "1000")));

        assertThat(log.config().retentionMs()).isEqualTo(1000);
    }

    @Test
    void recoversTheTailOfLogsAfterACrash() throws IOException {
        List<Path> dirs = List.of(root.resolve("data"));
        start(dirs, 300_000);
        PartitionLog log = manager.getOrCreateLog(new TopicPartition("my-topic-name", 3), manager.logConfig(Map.of()));
        appendTo(log, 5);
        Path segment = log.segments().get(0).logFile();
        manager = null; // crash: no shutdown, no marker

        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10);
        }
        start(dirs, 300_000);

        assertThat(manager.getLog(new TopicPartition("my-topic-name", 3)).orElseThrow().logEndOffset()).isEqualTo(40);
    }

    @Test
    void retentionRunsInTheBackground() {
        start(List.of(root.resolve("data")), 20);
        PartitionLog log = manager.getOrCreateLog(new TopicPartition("old", 0),
                manager.logConfig(Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_MS, "1000")));
        appendTo(log, 10);
        int segments = log.segmentCount();

        clock.advance(10_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> log.segmentCount() == 1);
        assertThat(segments).isGreaterThan(1);
        assertThat(log.logStartOffset()).isEqualTo(log.segments().get(0).baseOffset());
    }

    @Test
    void failingDirectoryGoesOfflineAndOthersKeepWorking() throws IOException {
        Path bad = root.resolve("bad");
        Path good = root.resolve("good");
        start(List.of(bad, good), 300_000);
        PartitionLog failing = manager.getOrCreateLog(new TopicPartition("t", 0),
                manager.logConfig(Map.of(LogConfig.SEGMENT_MS, "1")));
        PartitionLog healthy = manager.getOrCreateLog(new TopicPartition("t", 1), manager.logConfig(Map.of()));
        appendTo(failing, 1);
        Files.move(failing.dir(), root.resolve("gone")); // the next roll cannot create its files
        clock.advance(10);

        assertThatThrownBy(() -> appendTo(failing, 1)).isInstanceOf(KafkaStorageException.class);
        assertThatThrownBy(() -> failing.read(0, 100, Long.MAX_VALUE, true)).isInstanceOf(KafkaStorageException.class);
        assertThat(manager.isOffline(bad)).isTrue();
        appendTo(healthy, 2);
        assertThat(healthy.logEndOffset()).isEqualTo(20);
        PartitionLog created = manager.getOrCreateLog(new TopicPartition("t", 2), manager.logConfig(Map.of()));
        assertThat(created.dir().getParent()).isEqualTo(good);
    }

    @Test
    void deletedLogLeavesNoFiles() {
        start(List.of(root.resolve("data")), 300_000);
        TopicPartition tp = new TopicPartition("doomed", 0);
        PartitionLog log = manager.getOrCreateLog(tp, manager.logConfig(Map.of()));
        appendTo(log, 2);

        manager.deleteLog(tp);

        assertThat(manager.getLog(tp)).isEmpty();
        assertThat(root.resolve("data").resolve("doomed-0")).doesNotExist();
        assertThat(root.resolve("data").resolve("doomed-0-delete")).doesNotExist();
    }

    @Test
    void schedulerExpiresIdleProducerIds() {
        manager = new LogManager(new LogManagerConfig(List.of(root.resolve("data")), Map.of(), 300_000, 1_000, 1,
                60_000, 10), clock);
        manager.startup();
        PartitionLog log = manager.getOrCreateLog(new TopicPartition("idem", 0), manager.logConfig(Map.of()));
        log.append(TestBatches.idempotent(7L, (short) 0, 0, 1, NOW), AppendContext.leader(0));
        assertThat(log.producerState(7L)).isPresent();

        clock.advance(60_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> log.producerState(7L).isEmpty());
    }

    @Test
    void brokerConfigGivesDirectoriesAndTopicDefaults() {
        LogManagerConfig config = LogManagerConfig.fromBrokerConfig(Map.of("log.dirs", "/x, /y",
                "log.retention.hours", "2", "log.segment.bytes", "4096", "log.retention.check.interval.ms", "5000"));

        assertThat(config.logDirs()).containsExactly(Path.of("/x"), Path.of("/y"));
        assertThat(config.retentionCheckIntervalMs()).isEqualTo(5000);
        LogConfig logConfig = LogConfig.create(config.topicDefaults(), Map.of());
        assertThat(logConfig.retentionMs()).isEqualTo(7_200_000L);
        assertThat(logConfig.segmentBytes()).isEqualTo(4096);
    }

    @Test
    void producerIdExpirationDefaultsToADayAsInKafka() {
        LogManagerConfig defaults = LogManagerConfig.fromBrokerConfig(Map.of("log.dirs", "/x"));
        LogManagerConfig configured = LogManagerConfig.fromBrokerConfig(Map.of("log.dirs", "/x",
                "producer.id.expiration.ms", "60000", "producer.id.expiration.check.interval.ms", "1000"));

        assertThat(defaults.producerIdExpirationMs()).isEqualTo(86_400_000L);
        assertThat(configured.producerIdExpirationMs()).isEqualTo(60_000L);
        assertThat(configured.producerIdExpirationCheckIntervalMs()).isEqualTo(1_000L);
    }
}
