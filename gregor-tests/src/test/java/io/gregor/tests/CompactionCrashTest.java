package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction slowed down by log.cleaner.io.max.bytes.per.second so that it can be watched and
 * interrupted: consumers read while segments are swapped, and a broker is SIGKILLed mid-clean.
 */
class CompactionCrashTest {
    static final int SEGMENT_BYTES = 256 * 1024;
    static final int RECORDS = 100_000;
    static final int KEYS = 1_000;

    @TempDir
    static Path tempDir;

    static GregorProcess broker;

    @BeforeAll
    static void startBroker() {
        broker = new GregorProcess(tempDir.resolve("data"), Map.of(
                "log.cleaner.backoff.ms", "100",
                "log.cleaner.io.max.bytes.per.second", "1000000",
                "log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024))).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static void writeCompactedTopic(String topic) throws Exception {
        CompactedTopics.create(broker.bootstrapServers(), topic, Map.of(
                "segment.bytes", Integer.toString(SEGMENT_BYTES), "min.cleanable.dirty.ratio", "0.01"));
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            CompactedTopics.writeRounds(producer, topic, RECORDS, KEYS);
            CompactedTopics.rollPastEverything(producer, topic, SEGMENT_BYTES);
        }
    }

    static boolean cleaning(String topic) throws IOException {
        try (Stream<Path> files = Files.list(broker.dataDir().resolve(topic + "-0"))) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".cleaned"));
        }
    }

    @Test
    void consumersReadingWhileTheCleanerSwapsSegmentsSeeEveryKeysLatestValue() throws Exception {
        String topic = "read-while-cleaning";
        writeCompactedTopic(topic);
        Map<String, String> expected = CompactedTopics.latestValues(RECORDS, KEYS);

        int passesDuringCleaning = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean compacted = false;
        while (!compacted && System.nanoTime() < deadline) {
            boolean cleaningAtStart = cleaning(topic);
            List<ConsumerRecord<String, String>> records = CompactedTopics.readAll(broker.bootstrapServers(), topic);
            assertThat(CompactedTopics.replay(records)).isEqualTo(expected);
            if (cleaningAtStart || cleaning(topic)) {
                passesDuringCleaning++;
            }
            compacted = records.size() == KEYS;
        }
        assertThat(compacted).as("compacted within a minute").isTrue();
        assertThat(passesDuringCleaning).as("reads that overlapped a cleaning").isPositive();
    }

    @Test
    void aBrokerKilledWhileCleaningRestartsWithNothingLost() throws Exception {
        String topic = "killed-while-cleaning";
        writeCompactedTopic(topic);
        Map<String, String> expected = CompactedTopics.latestValues(RECORDS, KEYS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> cleaning(topic));

        broker.kill();
        broker.start();

        assertThat(CompactedTopics.replay(CompactedTopics.readAll(broker.bootstrapServers(), topic)))
                .isEqualTo(expected);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(CompactedTopics.readAll(broker.bootstrapServers(), topic)).hasSize(KEYS));
        assertThat(CompactedTopics.replay(CompactedTopics.readAll(broker.bootstrapServers(), topic)))
                .isEqualTo(expected);
    }
}
