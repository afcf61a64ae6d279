package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log compaction seen by real clients: what a consumer reading a compacted topic from the start gets. */
class CompactionTest {
    static final int SEGMENT_BYTES = 1024 * 1024;

    @TempDir
    static Path dataDir;

    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of(
                "log.cleaner.backoff.ms", "100",
                "log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024)));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static KafkaProducer<String, String> producer() {
        return Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
    }

    @Test
    void aMillionRecordsOverTenThousandKeysCompactToTheLatestRecordOfEachKey() throws Exception {
        String topic = "million";
        CompactedTopics.create(broker.bootstrapServers(), topic, Map.of(
                "segment.bytes", Integer.toString(SEGMENT_BYTES), "min.cleanable.dirty.ratio", "0.01"));
        try (KafkaProducer<String, String> producer = producer()) {
            CompactedTopics.writeRounds(producer, topic, 1_000_000, 10_000);
            CompactedTopics.rollPastEverything(producer, topic, SEGMENT_BYTES);
        }
        Map<String, String> expected = CompactedTopics.latestValues(1_000_000, 10_000);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            // a cheap gate first (compacted: ~0.1 MB of records plus the filler segments), as reading
            // a million records on every poll would slow the cleaner down
            assertThat(CompactedTopics.sizeOnDisk(broker.bootstrapServers(), topic)).isLessThan(3 * SEGMENT_BYTES);
            assertThat(CompactedTopics.readAll(broker.bootstrapServers(), topic)).hasSize(10_000);
        });

        List<ConsumerRecord<String, String>> records = CompactedTopics.readAll(broker.bootstrapServers(), topic);
        assertThat(records).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
        assertThat(CompactedTopics.replay(records)).isEqualTo(expected);
        assertThat(records).allSatisfy(record -> // offsets kept: value v-i was written at offset i
                assertThat(record.offset()).isEqualTo(Long.parseLong(record.value().substring(2))));
    }

    @Test
    void tombstonesRemoveTheirKeyAndThemselvesDisappearAfterDeleteRetentionMs() throws Exception {
        String topic = "tombstones";
        CompactedTopics.create(broker.bootstrapServers(), topic, Map.of("segment.bytes", "131072",
                "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "4000"));
        try (KafkaProducer<String, String> producer = producer()) {
            CompactedTopics.writeRounds(producer, topic, 2_000, 100);
            producer.send(new ProducerRecord<>(topic, "key-7", null));
            producer.send(new ProducerRecord<>(topic, "key-8", null));
            CompactedTopics.rollPastEverything(producer, topic, 131072);
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> records = CompactedTopics.readAll(broker.bootstrapServers(), topic);
            assertThat(records).filteredOn(r -> r.key().equals("key-7")).extracting(ConsumerRecord::value)
                    .containsExactly((String) null);
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> records = CompactedTopics.readAll(broker.bootstrapServers(), topic);
            assertThat(records).extracting(ConsumerRecord::key).doesNotContain("key-7", "key-8").hasSize(98);
        });
        Map<String, String> expected = CompactedTopics.latestValues(2_000, 100);
        expected.remove("key-7");
        expected.remove("key-8");
        assertThat(CompactedTopics.replay(CompactedTopics.readAll(broker.bootstrapServers(), topic)))
                .isEqualTo(expected);
    }

    @Test
    void theCleanerRemovesAbortedTransactionsAndKeepsCommittedOnes() throws Exception {
        String topic = "transactional-compacted";
        CompactedTopics.create(broker.bootstrapServers(), topic, Map.of("segment.bytes", "131072",
                "min.cleanable.dirty.ratio", "0.01"));
        Map<String, String> committed = new LinkedHashMap<>();
        try (KafkaProducer<String, String> writer = Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "compacting-writer"))) {
            writer.initTransactions();
            writer.beginTransaction();
            for (int k = 0; k < 50; k++) {
                writer.send(new ProducerRecord<>(topic, "key-" + k, "committed-" + k));
                committed.put("key-" + k, "committed-" + k);
            }
            writer.commitTransaction();
            writer.beginTransaction();
            for (int k = 0; k < 50; k++) {
                writer.send(new ProducerRecord<>(topic, "key-" + k, "aborted-" + k));
            }
            writer.flush();
            writer.abortTransaction();
        }
        // All of it is still in the active segment, which is never cleaned: a read_uncommitted
        // consumer sees the aborted values, and they are the latest of each key.
        assertThat(CompactedTopics.readAll(broker.bootstrapServers(), topic)).extracting(ConsumerRecord::value)
                .filteredOn(value -> value.startsWith("aborted-")).hasSize(50);

        try (KafkaProducer<String, String> producer = producer()) {
            CompactedTopics.rollPastEverything(producer, topic, 131072);
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> records = CompactedTopics.readAll(broker.bootstrapServers(), topic);
            assertThat(records).extracting(ConsumerRecord::value).noneMatch(value -> value.startsWith("aborted-"));
            assertThat(records).hasSize(50);
            assertThat(CompactedTopics.replay(records)).isEqualTo(committed);
        });
    }

    @Test
    void aRecordWithoutAKeyIsRefusedByACompactedTopic() throws Exception {
        String topic = "keyless";
        CompactedTopics.create(broker.bootstrapServers(), topic, Map.of());
        try (KafkaProducer<String, String> producer = producer()) {
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(topic, null, "no key")).get());
            assertThat(refused.getCause()).isInstanceOf(InvalidRecordException.class);
        }
    }
}
