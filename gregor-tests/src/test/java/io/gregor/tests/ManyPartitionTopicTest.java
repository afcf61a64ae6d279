package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CreateTopics answers once the topic is committed, and the broker creates the partitions' logs
 * after that, as Kafka does, and names itself their leader at once. A producer that starts at
 * once has its requests held until the logs exist: none of its records is lost, refused, or even
 * retried.
 */
class ManyPartitionTopicTest {
    private static final int PARTITIONS = 1_000;
    private static final int RECORDS_PER_PARTITION = 3;

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

    @Test
    void aProducerStartingRightAfterCreateTopicsGetsEveryRecordAcknowledgedAndReadable() throws Exception {
        String topic = "wide";
        List<String> sent = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
            for (int round = 0; round < RECORDS_PER_PARTITION; round++) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    String value = partition + "/" + round;
                    sent.add(value);
                    acks.add(producer.send(new ProducerRecord<>(topic, partition, null, value)));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(1, TimeUnit.MINUTES); // throws if the broker refused a record for good
            }
            assertThat(producerMetric(producer, "record-retry-total")).isZero();
        }

        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertThat(description.partitions()).hasSize(PARTITIONS)
                .allSatisfy(partition -> assertThat(partition.leader()).isNotNull());

        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        List<String> read = new ArrayList<>();
        List<String> misplaced = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (ConsumerRecord<String, String> record : Clients.pollUntil(consumer, sent.size(),
                    Duration.ofSeconds(60))) {
                read.add(record.value());
                if (!record.value().startsWith(record.partition() + "/")) {
                    misplaced.add(record.value() + " in partition " + record.partition());
                }
            }
        }
        assertThat(misplaced).isEmpty();
        assertThat(read).containsExactlyInAnyOrderElementsOf(sent); // each once: none lost, none twice
    }

    private static double producerMetric(KafkaProducer<?, ?> producer, String name) {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("producer-metrics") && e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .findFirst().orElseThrow();
    }
}
