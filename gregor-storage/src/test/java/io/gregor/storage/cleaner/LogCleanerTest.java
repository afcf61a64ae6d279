package io.gregor.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import io.gregor.storage.log.AppendContext;
import io.gregor.storage.log.LogConfig;
import io.gregor.storage.log.LogManager;
import io.gregor.storage.log.LogManagerConfig;
import io.gregor.storage.log.PartitionLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCleanerTest {
    static final TopicPartition CHANGELOG = new TopicPartition("changelog", 0);
    static final TopicPartition EVENTS = new TopicPartition("events", 0);

    @TempDir
    Path root;

    LogManager manager;

    @AfterEach
    void shutdown() {
        if (manager != null) {
            manager.shutdown();
        }
    }

    LogManager start(boolean enabled) {
        LogManagerConfig config = LogManagerConfig.defaults(List.of(root))
                .withCleaner(new CleanerConfig(enabled, 2, 1 << 20, Double.MAX_VALUE, 10));
        manager = new LogManager(config, Clock.systemUTC());
        manager.startup();
        return manager;
    }

    PartitionLog createLog(TopicPartition tp, String policy) {
        return manager.getOrCreateLog(tp, manager.logConfig(Map.of(LogConfig.CLEANUP_POLICY, policy,
                LogConfig.SEGMENT_BYTES, 2048)));
    }

    static void writeRounds(PartitionLog log, int rounds, int keys) {
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().baseOffset(0);
                builder.append(System.currentTimeMillis(), ("key-" + k).getBytes(), ("v" + round).getBytes());
                log.append(builder.build(), AppendContext.leader(0));
            }
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void backgroundThreadsCompactLogsWithCompactPolicyOnlyAndCheckpointTheirProgress() throws Exception {
        start(true);
        PartitionLog changelog = createLog(CHANGELOG, "compact");
        PartitionLog events = createLog(EVENTS, "delete");
        writeRounds(changelog, 40, 5);
        writeRounds(events, 40, 5);
        int eventSegments = events.segmentCount();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(manager.cleaner().firstDirtyOffset(CHANGELOG)).isPresent();
            assertThat(changelog.segmentCount()).isLessThan(eventSegments);
        });
        assertThat(manager.cleaner().firstDirtyOffset(EVENTS)).isEmpty();
        assertThat(events.segmentCount()).isEqualTo(eventSegments);
        assertThat(Files.readString(root.resolve(CleanerCheckpoint.FILE_NAME)))
                .contains("changelog 0 " + manager.cleaner().firstDirtyOffset(CHANGELOG).getAsLong());
    }

    @Test
    void aDisabledCleanerStartsNoThreadButAPassOnDemandStillCleans() {
        start(false);
        PartitionLog changelog = createLog(CHANGELOG, "compact");
        writeRounds(changelog, 40, 5);
        int segments = changelog.segmentCount();

        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("gregor-log-cleaner-"));
        assertThat(changelog.segmentCount()).isEqualTo(segments);

        assertThat(manager.cleaner().cleanFilthiestLog()).isTrue();
        assertThat(changelog.segmentCount()).isLessThan(segments);
        assertThat(manager.cleaner().firstDirtyOffset(CHANGELOG)).isPresent();
    }
}
