package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.CompressionType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** 100k keyed records per compression type and acks setting go in and come back exactly. */
class ProduceConsumeTest {
    private static final int RECORDS = 100_000;
    private static final int STORED_RECORDS = 5_000;
    private static final int PARTITIONS = 3;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of());
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    static Stream<Arguments> compressionAndAcks() {
        return Stream.of("none", "gzip", "snappy", "lz4", "zstd")
                .flatMap(compression -> Stream.of("0", "1", "all").map(acks -> Arguments.of(compression, acks)));
    }

    @ParameterizedTest(name = "compression={0} acks={1}")
    @MethodSource("compressionAndAcks")
    void keyedRecordsAreConsumedBackExactlyAndInOrderPerPartition(String compression, String acks)
            throws ExecutionException, InterruptedException {
        String topic = "records-" + compression + "-" + acks;
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();

        Map<Integer, List<String>> sentPerPartition = new HashMap<>();
        Map<String, Object> config = Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                ProducerConfig.ACKS_CONFIG, acks,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), config)) {
            for (int i = 0; i < RECORDS; i++) {
                String key = "key-" + (i % 1_000);
                producer.send(new ProducerRecord<>(topic, key, "value-" + i));
            }
            producer.flush();
        }
        // The default partitioner hashes the key, so each key's records land on one partition.
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            List<ConsumerRecord<String, String>> received = Clients.pollUntil(consumer, RECORDS, Duration.ofSeconds(60));

            assertThat(received).hasSize(RECORDS);
            for (ConsumerRecord<String, String> record : received) {
                sentPerPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.value());
            }
            Set<String> values = received.stream().map(ConsumerRecord::value).collect(Collectors.toSet());
            assertThat(values).hasSize(RECORDS);
            for (List<String> partitionValues : sentPerPartition.values()) {
                assertThat(partitionValues).isSortedAccordingTo(ProduceConsumeTest::compareBySequence);
            }
            Map<String, Set<Integer>> partitionsPerKey = received.stream().collect(Collectors.groupingBy(
                    ConsumerRecord::key, Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
            assertThat(partitionsPerKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));
            Map<Integer, List<Long>> offsetsPerPartition = received.stream().collect(Collectors.groupingBy(
                    ConsumerRecord::partition, Collectors.mapping(ConsumerRecord::offset, Collectors.toList())));
            offsetsPerPartition.forEach((partition, offsets) -> assertThat(offsets)
                    .as("offsets of partition %d", partition)
                    .isEqualTo(LongStream.range(0, offsets.size()).boxed().toList()));
        }
    }

    /** A topic's compression.type other than producer: batches are stored in its codec, whatever the producer used. */
    @ParameterizedTest(name = "topic compression.type={0}")
    @ValueSource(strings = {"zstd", "uncompressed"})
    void aTopicsCompressionTypeIsHowItsBatchesAreStored(String topicCompression) throws Exception {
        String topic = "stored-" + topicCompression;
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of("compression.type", topicCompression)))).all().get();
        Map<String, Object> idempotentLz4 = Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), idempotentLz4)) {
            for (int i = 0; i < STORED_RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }

        List<org.apache.kafka.common.record.RecordBatch> stored = StoredBatches.batches(dataDir, topic, 0);
        CompressionType expected = topicCompression.equals("zstd") ? CompressionType.ZSTD : CompressionType.NONE;
        assertThat(stored).isNotEmpty().allSatisfy(batch -> {
            assertThat(batch.compressionType()).isEqualTo(expected);
            assertThat(batch.isValid()).as("CRC of the rewritten batch").isTrue();
            assertThat(batch.hasProducerId()).as("the idempotent producer's id is kept").isTrue();
        });
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> received = Clients.pollUntil(consumer, STORED_RECORDS, Duration.ofSeconds(60));
            assertThat(received).extracting(ConsumerRecord::value)
                    .isEqualTo(IntStream.range(0, STORED_RECORDS).mapToObj(i -> "value-" + i).toList());
            assertThat(received).extracting(ConsumerRecord::offset)
                    .isEqualTo(LongStream.range(0, STORED_RECORDS).boxed().toList());
        }
    }

    private static int compareBySequence(String a, String b) {
        return Integer.compare(sequence(a), sequence(b));
    }

    private static int sequence(String value) {
        return Integer.parseInt(value.substring("value-".length()));
    }
}
