package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client quotas (KIP-13, KIP-55, KIP-546) with the real AdminClient, producer and consumer. The
 * broker measures rates over 2 windows of 1 s, so that a client's first second of bytes is all it
 * gets for free and a test needs only a few seconds of throttling. Each test uses its own client
 * ids; quotas on defaults are removed by the test that sets them.
 */
class ClientQuotasTest {
    /** The byte rate the throttled clients are held to. */
    private static final double QUOTA = 100_000;
    private static final int RECORD_BYTES = 1_000;
    /** 8 s of bytes at the quota. */
    private static final int RECORDS = 800;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of("quota.window.num", "2", "quota.window.size.seconds", "1"));
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void quotasOfNamedAndDefaultEntitiesAreDescribedAndRemoved() throws Exception {
        ClientQuotaEntity aliceApp = entity(ClientQuotaEntity.USER, "alice", ClientQuotaEntity.CLIENT_ID, "reports");
        ClientQuotaEntity aliceDefault = entity(ClientQuotaEntity.USER, "alice", ClientQuotaEntity.CLIENT_ID, null);
        ClientQuotaEntity defaultUser = entity(ClientQuotaEntity.USER, null);
        ClientQuotaEntity reports = entity(ClientQuotaEntity.CLIENT_ID, "reports");
        // Generous rates: a default quota applies to the other tests' clients too while it is set.
        admin.alterClientQuotas(List.of(
                alteration(aliceApp, "producer_byte_rate", 1e9, "consumer_byte_rate", 2e9),
                alteration(aliceDefault, "producer_byte_rate", 3e9),
                alteration(defaultUser, "consumer_byte_rate", 4e9),
                alteration(reports, "producer_byte_rate", 5e9))).all().get();

        assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get()).containsAllEntriesOf(Map.of(
                aliceApp, Map.of("producer_byte_rate", 1e9, "consumer_byte_rate", 2e9),
                aliceDefault, Map.of("producer_byte_rate", 3e9),
                defaultUser, Map.of("consumer_byte_rate", 4e9),
                reports, Map.of("producer_byte_rate", 5e9)));
        // alice's entities, which may name client ids too
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.contains(List.of(
                ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "alice")))).entities().get())
                .containsOnlyKeys(aliceApp, aliceDefault);
        // only the default user, alone
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(
                ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.USER)))).entities().get())
                .containsOnlyKeys(defaultUser);
        // every entity with a client id, and no user
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(
                ClientQuotaFilterComponent.ofEntityType(ClientQuotaEntity.CLIENT_ID)))).entities().get())
                .containsKey(reports).doesNotContainKeys(aliceApp, aliceDefault, defaultUser);

        admin.alterClientQuotas(List.of(
                alteration(aliceApp, "producer_byte_rate", null),
                alteration(aliceDefault, "producer_byte_rate", null),
                alteration(defaultUser, "consumer_byte_rate", null),
                alteration(reports, "producer_byte_rate", null))).all().get();

        Map<ClientQuotaEntity, Map<String, Double>> after =
                admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get();
        assertThat(after).containsEntry(aliceApp, Map.of("consumer_byte_rate", 2e9))
                .doesNotContainKeys(aliceDefault, defaultUser, reports);
        admin.alterClientQuotas(List.of(alteration(aliceApp, "consumer_byte_rate", null))).all().get();
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get()).doesNotContainKey(aliceApp);
    }

    @Test
    void aControllerMutationRateAdmitsABurstThenRefusesTopicChangesUntilItsDebtIsPaid() throws Exception {
        ClientQuotaEntity creator = entity(ClientQuotaEntity.CLIENT_ID, "topic-creator");
        // 1 partition per second: over the broker's 2 windows of 1 s, a burst of 2
        admin.alterClientQuotas(List.of(alteration(creator, "controller_mutation_rate", 1.0))).all().get();
        Map<String, Object> asCreator = Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "topic-creator");
        try {
            try (Admin first = Clients.admin(broker.bootstrapServers(), asCreator)) {
                first.createTopics(List.of(new NewTopic("mutations-a", 2, (short) 1))).all().get();
                // the bucket is empty, not in debt: admitted whole, leaving it 4 partitions in debt
                first.createTopics(List.of(new NewTopic("mutations-b", 4, (short) 1))).all().get();
                ExecutionException refused = catchThrowableOfType(ExecutionException.class, () -> first.createTopics(
                        List.of(new NewTopic("mutations-c", 1, (short) 1)),
                        new CreateTopicsOptions().retryOnQuotaViolation(false)).all().get());
                assertThat(refused).hasCauseInstanceOf(ThrottlingQuotaExceededException.class);
                // until the debt is paid at 1 partition per second
                assertThat(((ThrottlingQuotaExceededException) refused.getCause()).throttleTimeMs()).isBetween(1, 4_000);
            }
            // deleting partitions counts too (a new Admin: the first one holds back while throttled)
            try (Admin second = Clients.admin(broker.bootstrapServers(), asCreator)) {
                assertThatThrownBy(() -> second.deleteTopics(List.of("mutations-a"),
                        new DeleteTopicsOptions().retryOnQuotaViolation(false)).all().get())
                        .hasCauseInstanceOf(ThrottlingQuotaExceededException.class);
            }
            // other clients are not held to it
            admin.createTopics(List.of(new NewTopic("mutations-other", 10, (short) 1))).all().get();
            // by default the Admin client retries a refused topic once the throttle time is over
            try (Admin third = Clients.admin(broker.bootstrapServers(), asCreator)) {
                third.createTopics(List.of(new NewTopic("mutations-c", 1, (short) 1))).all().get();
            }
            assertThat(admin.listTopics().names().get())
                    .contains("mutations-a", "mutations-b", "mutations-c", "mutations-other");
        } finally {
            admin.alterClientQuotas(List.of(alteration(creator, "controller_mutation_rate", null))).all().get();
        }
    }

    @Test
    void invalidAlterationsFailAloneAndValidateOnlyChangesNothing() throws Exception {
        ClientQuotaEntity valid = entity(ClientQuotaEntity.CLIENT_ID, "validated");
        var result = admin.alterClientQuotas(List.of(
                alteration(entity(ClientQuotaEntity.CLIENT_ID, "unknown-key"), "bytes_per_fortnight", 1.0),
                alteration(entity(ClientQuotaEntity.CLIENT_ID, "negative"), "producer_byte_rate", -5.0),
                alteration(entity("ip", "10.0.0.1"), "producer_byte_rate", 1000.0),
                alteration(valid, "producer_byte_rate", 1000.0)), new AlterClientQuotasOptions().validateOnly(true));

        Map<ClientQuotaEntity, KafkaFuture<Void>> outcomes = result.values();
        for (String rejected : List.of("unknown-key", "negative")) {
            assertThatThrownBy(() -> outcomes.get(entity(ClientQuotaEntity.CLIENT_ID, rejected)).get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidRequestException.class);
        }
        assertThatThrownBy(() -> outcomes.get(entity("ip", "10.0.0.1")).get())
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("ip");
        outcomes.get(valid).get();
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get()).doesNotContainKey(valid);
    }

    @Test
    void aProducerOverItsClientIdsQuotaIsThrottledWhileAnotherClientIdIsNot() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("quota-produce", 1, (short) 1)));
        setQuota(ClientQuotaEntity.CLIENT_ID, "slow-producer", "producer_byte_rate", QUOTA);

        long elapsedNanos = produce("slow-producer", "quota-produce", producer ->
                assertThat(metric(producer.metrics(), "produce-throttle-time-max")).isPositive());
        assertThat(Duration.ofNanos(elapsedNanos)).isGreaterThanOrEqualTo(minimumDuration());

        produce("free-producer", "quota-produce", producer ->
                assertThat(metric(producer.metrics(), "produce-throttle-time-max")).isZero());
    }

    @Test
    void aConsumerOverItsClientIdsQuotaIsThrottledWhileAnotherClientIdIsNot() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("quota-fetch", 1, (short) 1)));
        produce("quota-loader", "quota-fetch", producer -> { });
        setQuota(ClientQuotaEntity.CLIENT_ID, "slow-consumer", "consumer_byte_rate", QUOTA);

        try (KafkaConsumer<String, String> consumer = consumer("slow-consumer")) {
            long start = System.nanoTime();
            List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, RECORDS, Duration.ofSeconds(60));
            long elapsedNanos = System.nanoTime() - start;
            assertThat(records).hasSize(RECORDS);
            assertThat(Duration.ofNanos(elapsedNanos)).isGreaterThanOrEqualTo(minimumDuration());
            assertThat(metric(consumer.metrics(), "fetch-throttle-time-max")).isPositive();
        }
        try (KafkaConsumer<String, String> consumer = consumer("free-consumer")) {
            assertThat(Clients.pollUntil(consumer, RECORDS, Duration.ofSeconds(60))).hasSize(RECORDS);
            assertThat(metric(consumer.metrics(), "fetch-throttle-time-max")).isZero();
        }
    }

    @Test
    void quotasSurviveARestartAndAreStillEnforced() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("quota-restart", 1, (short) 1)));
        ClientQuotaEntity restarted = entity(ClientQuotaEntity.CLIENT_ID, "restarted");
        admin.alterClientQuotas(List.of(alteration(restarted, "producer_byte_rate", 20_000.0))).all().get();

        broker.restart();

        assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get())
                .containsEntry(restarted, Map.of("producer_byte_rate", 20_000.0));
        // 100 KB against 20 KB/s judged over at least 1 s: throttled from the first requests.
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.CLIENT_ID_CONFIG, "restarted"))) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("quota-restart", "x".repeat(RECORD_BYTES)));
            }
            producer.flush();
            assertThat(metric(producer.metrics(), "produce-throttle-time-max")).isPositive();
        }
    }

    /**
     * What {@link #RECORDS} records take at {@link #QUOTA} bytes per second at the least: the
     * broker lets a client's rate rise above its quota only within its 2-window span, once at the
     * start and once more as windows age, and by the requests that were already on their way (a
     * producer's 5 batches, a consumer's one capped fetch), about 0.8 s; a slower broker or client
     * only makes it longer.
     */
    private static Duration minimumDuration() {
        double seconds = RECORDS * RECORD_BYTES / QUOTA - 2 * 2 - 1;
        return Duration.ofMillis((long) (seconds * 1000));
    }

    private interface ProducerCheck {
        void check(KafkaProducer<String, String> producer);
    }

    /** Sends the test's records with that client id, runs the check, and says how long sending took. */
    private static long produce(String clientId, String topic, ProducerCheck check) {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId))) {
            long start = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, "x".repeat(RECORD_BYTES)));
            }
            producer.flush();
            long elapsed = System.nanoTime() - start;
            check.check(producer);
            return elapsed;
        }
    }

    private static KafkaConsumer<String, String> consumer(String clientId) {
        KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("client.id", clientId));
        TopicPartition partition = new TopicPartition("quota-fetch", 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .map(e -> (Double) e.getValue().metricValue()).findFirst()
                .orElseThrow(() -> new AssertionError("no client metric " + name));
    }

    private static void setQuota(String type, String name, String key, double value) throws Exception {
        admin.alterClientQuotas(List.of(alteration(entity(type, name), key, value))).all().get();
    }

    private static ClientQuotaEntity entity(String... typesAndNames) {
        Map<String, String> parts = new HashMap<>();
        for (int i = 0; i < typesAndNames.length; i += 2) {
            parts.put(typesAndNames[i], typesAndNames[i + 1]);
        }
        return new ClientQuotaEntity(parts);
    }

    private static ClientQuotaAlteration alteration(ClientQuotaEntity entity, Object... keysAndValues) {
        List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            ops.add(new ClientQuotaAlteration.Op((String) keysAndValues[i], (Double) keysAndValues[i + 1]));
        }
        return new ClientQuotaAlteration(entity, ops);
    }
}
