package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/** Helpers of the compaction tests: compacted topics, rounds of keyed writes, reading a partition whole. */
final class CompactedTopics {
    /** Keys of records written only to push the others out of the active segment (never compacted). */
    static final String FILLER_PREFIX = "filler-";

    private CompactedTopics() {
    }

    static void create(String bootstrap, String topic, Map<String, String> configs) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(Map.of("cleanup.policy", "compact"));
        all.putAll(configs);
        try (Admin admin = Clients.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(all))).all().get();
        }
    }

    /** Writes {@code records} records, record i with key {@code key-(i % keys)} and value {@code v-i}. */
    static void writeRounds(KafkaProducer<String, String> producer, String topic, int records, int keys)
            throws Exception {
        Future<RecordMetadata> last = null;
        for (int i = 0; i < records; i++) {
            last = producer.send(new ProducerRecord<>(topic, "key-" + (i % keys), "v-" + i));
        }
        producer.flush();
        last.get();
    }

    /** Fills more than one segment with filler keys so every earlier record is in a compactable segment. */
    static void rollPastEverything(KafkaProducer<String, String> producer, String topic, int segmentBytes)
            throws Exception {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < segmentBytes / 1000 + 20; i++) {
            byte[] noise = new byte[750]; // incompressible, so the fillers fill a segment whatever the codec
            random.nextBytes(noise);
            producer.send(new ProducerRecord<>(topic, FILLER_PREFIX + i, java.util.Base64.getEncoder()
                    .encodeToString(noise)));
        }
        producer.flush();
    }

    /** The latest value per key written by {@link #writeRounds}. */
    static Map<String, String> latestValues(int records, int keys) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (int i = records - keys; i < records; i++) {
            latest.put("key-" + (i % keys), "v-" + i);
        }
        return latest;
    }

    /** Every record of partition 0 from the start to the end offset seen now, filler keys left out. */
    static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of("max.partition.fetch.bytes", 4 * 1024 * 1024))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!record.key().startsWith(FILLER_PREFIX)) {
                        records.add(record);
                    }
                }
            }
            assertThat(consumer.position(tp)).as("read to the end offset").isGreaterThanOrEqualTo(end);
            return records;
        }
    }

    /** Bytes on disk of partition 0 of {@code topic}, as DescribeLogDirs reports them. */
    static long sizeOnDisk(String bootstrap, String topic) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            long size = 0;
            for (var brokerDirs : admin.describeLogDirs(List.of(1)).allDescriptions().get().values()) {
                for (var dir : brokerDirs.values()) {
                    var replica = dir.replicaInfos().get(new TopicPartition(topic, 0));
                    size += replica == null ? 0 : replica.size();
                }
            }
            return size;
        }
    }

    /** The value each key has after reading the records in order (a tombstone removes the key). */
    static Map<String, String> replay(List<ConsumerRecord<String, String>> records) {
        Map<String, String> state = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            if (record.value() == null) {
                state.remove(record.key());
            } else {
                state.put(record.key(), record.value());
            }
        }
        return state;
    }
}
