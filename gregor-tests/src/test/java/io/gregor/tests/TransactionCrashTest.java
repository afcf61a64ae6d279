package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions across a SIGKILL of the broker: commits acknowledged just before the kill (their
 * markers possibly not yet written) are completed from {@code __transaction_state} after the
 * restart, and a transaction left open at the kill is aborted by the restarted coordinator once
 * it times out, so read_committed consumers see every committed record and none of the open one.
 */
class TransactionCrashTest {
    private static final String TOPIC = "crash-txn";
    private static final int PARTITIONS = 3;
    private static final int TRANSACTIONS = 20;

    @TempDir
    static Path dataDir;
    static GregorProcess broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new GregorProcess(dataDir.resolve("data"), Map.of(
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")).start();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static KafkaProducer<String, String> transactional(String transactionalId, int timeoutMs) {
        return Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs));
    }

    @Test
    void acknowledgedCommitsSurviveASigkillAndATransactionOpenAtTheKillIsAborted() {
        KafkaProducer<String, String> committer = transactional("crash-committer", 60_000);
        KafkaProducer<String, String> abandoned = transactional("crash-abandoned", 3_000);
        try {
            committer.initTransactions();
            abandoned.initTransactions();
            abandoned.beginTransaction();
            for (int p = 0; p < PARTITIONS; p++) {
                abandoned.send(new ProducerRecord<>(TOPIC, p, "k", "abandoned-" + p));
            }
            abandoned.flush();
            for (int t = 0; t < TRANSACTIONS; t++) {
                committer.beginTransaction();
                for (int p = 0; p < PARTITIONS; p++) {
                    committer.send(new ProducerRecord<>(TOPIC, p, "k", "committed-" + t + "-" + p));
                }
                committer.commitTransaction();
            }
        } finally {
            // Killed right after the last commit was acknowledged: its markers may not be written.
            broker.kill();
            abandoned.close(Duration.ZERO);
            committer.close(Duration.ZERO);
        }
        broker.start();

        // Visible to read_committed only once the abandoned transaction, which starts before
        // every commit, is aborted by the restarted coordinator.
        try (KafkaProducer<String, String> after = transactional("crash-committer", 60_000)) {
            after.initTransactions();
            after.beginTransaction();
            after.send(new ProducerRecord<>(TOPIC, 0, "k", "after-restart"));
            after.commitTransaction();
        }

        int expected = TRANSACTIONS * PARTITIONS + 1;
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList());
            List<String> values = Clients.pollUntil(consumer, expected, Duration.ofSeconds(60)).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(values).hasSize(expected).contains("after-restart", "committed-19-0", "committed-19-1",
                    "committed-19-2").noneMatch(value -> value.startsWith("abandoned"));
            assertThat(values.stream().distinct()).hasSize(expected);
        }
    }
}
