package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fetch waiting on an empty partition is answered when a record arrives, not when
 * fetch.max.wait.ms runs out: with a 30 s wait, a broker that answers on a timer fails here.
 */
class LongPollTest {
    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void longPollOnEmptyPartitionIsAnsweredAsSoonAsARecordArrives() throws Exception {
        String topic = "long-poll";
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Map<String, Object> longWait = Map.of(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 30_000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), longWait);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            // Let the consumer's first fetch reach the broker and park there.
            assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();

            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    producer.send(new ProducerRecord<>(topic, "k", "hello")).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(25));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            sent.get(10, TimeUnit.SECONDS);

            assertThat(records.count()).isEqualTo(1);
            assertThat(records.iterator().next()).extracting(ConsumerRecord::value).isEqualTo("hello");
            assertThat(waitedMs).as("time until the parked fetch was answered").isLessThan(10_000);
        } finally {
            // The consumer's next fetch is parked for 30 s; don't wait for it to come back.
            consumer.close(CloseOptions.timeout(Duration.ofMillis(100)));
        }
    }
}
