package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic defaults changed at run time as Kafka's dynamic broker configs (KIP-226), on a cluster of
 * three nodes with real kafka-clients: set for every broker ({@code BROKER ""}, kafka-configs.sh's
 * --entity-default) or for one, they take effect at once for the topics without a setting of their
 * own, DescribeConfigs says where each value comes from, and they are in the metadata log, so a
 * restarted node has them. Each test resets what it set.
 */
class DynamicBrokerConfigsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");

    @TempDir
    static Path tempDir;
    static GregorCluster cluster;
    static Admin admin;

    @BeforeAll
    static void startCluster() {
        cluster = GregorCluster.start(tempDir, 3, Map.of(
                "broker.heartbeat.interval.ms", "500",
                "log.retention.check.interval.ms", "200",
                "offsets.topic.replication.factor", "3"));
        admin = Clients.admin(cluster.bootstrapServers());
        awaitEveryBrokerTakesReplicas();
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aLowerClusterDefaultRetentionDeletesOldSegmentsOfTopicsWithoutTheirOwn() throws Exception {
        Map<String, String> smallSegments = Map.of("segment.bytes", "1024");
        Clients.createTopicsAndAwaitLeaders(admin, List.of(
                new NewTopic("retention-default", 1, (short) 3).configs(smallSegments),
                new NewTopic("retention-own", 1, (short) 3).configs(Map.of("segment.bytes", "1024",
                        "retention.ms", "604800000"))));
        long anHourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 50; i++) {
                for (String topic : List.of("retention-default", "retention-own")) {
                    producer.send(new ProducerRecord<>(topic, 0, anHourAgo, "key-" + i, "x".repeat(200))).get();
                }
            }
        }
        assertThat(startOffset("retention-default")).isZero();

        alter(CLUSTER_DEFAULT, set("log.retention.ms", "60000"));
        try {
            await("old segments of retention-default deleted").atMost(TIMEOUT)
                    .until(() -> startOffset("retention-default") > 0);
            assertThat(startOffset("retention-own")).isZero();
        } finally {
            alter(CLUSTER_DEFAULT, delete("log.retention.ms"));
        }
    }

    @Test
    void aHigherClusterDefaultMinInsyncReplicasRefusesAcksAllWhileABrokerIsDown() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("min-isr", 1, (short) 3)));
        cluster.stopNode(3);
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            await("node 3 out of the ISR").atMost(TIMEOUT).until(() -> isr("min-isr").size() == 2);
            producer.send(new ProducerRecord<>("min-isr", "two replicas are enough")).get();

            alter(CLUSTER_DEFAULT, set("min.insync.replicas", "3"));
            try {
                await("acks=all refused").atMost(TIMEOUT).untilAsserted(() ->
                        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("min-isr", "refused")).get())
                                .hasCauseInstanceOf(NotEnoughReplicasException.class));
            } finally {
                alter(CLUSTER_DEFAULT, delete("min.insync.replicas"));
            }
            await("acks=all accepted again").atMost(TIMEOUT).ignoreExceptions().until(() ->
                    producer.send(new ProducerRecord<>("min-isr", "accepted")).get() != null);
        } finally {
            restarted(3);
        }
    }

    @Test
    void describeConfigsSaysWhetherAValueIsThisBrokersTheClusterDefaultStaticOrBuiltIn() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("sources", 1, (short) 3)));
        ConfigResource broker1 = new ConfigResource(ConfigResource.Type.BROKER, "1");
        alter(CLUSTER_DEFAULT, set("message.max.bytes", "2000000"), set("log.cleaner.delete.retention.ms", "7200000"));
        for (int id : cluster.nodeIds()) {
            alter(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(id)),
                    set("message.max.bytes", "3000000"));
        }
        try {
            // Each broker answers from its own copy of the metadata, which may be a moment behind.
            await("every broker has the new configs").atMost(TIMEOUT).untilAsserted(() -> {
                ConfigEntry maxBytes = describe(broker1).get("message.max.bytes");
                assertThat(maxBytes.value()).isEqualTo("3000000");
                assertThat(maxBytes.source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
                assertThat(maxBytes.isReadOnly()).isFalse();
                assertThat(maxBytes.synonyms()).extracting(ConfigEntry.ConfigSynonym::source).containsExactly(
                        ConfigSource.DYNAMIC_BROKER_CONFIG, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
                        ConfigSource.DEFAULT_CONFIG);
                assertThat(describe(broker1).get("log.retention.check.interval.ms").source())
                        .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
                assertThat(describe(CLUSTER_DEFAULT).get("message.max.bytes").value()).isEqualTo("2000000");

                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "sources");
                Config topicConfigs = describe(topic);
                assertThat(topicConfigs.get("max.message.bytes").value()).isEqualTo("3000000");
                assertThat(topicConfigs.get("max.message.bytes").source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
                assertThat(topicConfigs.get("max.message.bytes").synonyms())
                        .extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::source)
                        .containsExactly(
                                tuple("message.max.bytes", ConfigSource.DYNAMIC_BROKER_CONFIG),
                                tuple("message.max.bytes",
                                        ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                                tuple("message.max.bytes", ConfigSource.DEFAULT_CONFIG));
                assertThat(topicConfigs.get("delete.retention.ms").value()).isEqualTo("7200000");
                assertThat(topicConfigs.get("delete.retention.ms").source())
                        .isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
                assertThat(topicConfigs.get("segment.bytes").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
            });
        } finally {
            for (int id : cluster.nodeIds()) {
                alter(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(id)),
                        delete("message.max.bytes"));
            }
            alter(CLUSTER_DEFAULT, delete("message.max.bytes"), delete("log.cleaner.delete.retention.ms"));
        }
    }

    @Test
    void invalidValuesAndStaticKeysAreRefusedNamingTheKeyAndValidateOnlyChangesNothing() throws Exception {
        assertThatThrownBy(() -> alter(CLUSTER_DEFAULT, set("log.segment.bytes", "not-a-number")))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("log.segment.bytes").hasMessageContaining("not-a-number");
        assertThatThrownBy(() -> alter(CLUSTER_DEFAULT, set("log.retention.hours", "1")))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Cannot update these configs dynamically: [log.retention.hours]");

        admin.incrementalAlterConfigs(Map.of(CLUSTER_DEFAULT, List.of(set("log.index.interval.bytes", "8192"))),
                new AlterConfigsOptions().validateOnly(true)).all().get();
        assertThat(describe(CLUSTER_DEFAULT).get("log.index.interval.bytes")).isNull();
    }

    @Test
    void eachBrokerChecksAChangeOfItsOwnConfigsWhetherOrNotItIsTheController() throws Exception {
        // Admin sends a broker's configs to that broker; all but one pass them on to the controller
        for (int nodeId = 1; nodeId <= 3; nodeId++) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(nodeId));
            assertThatThrownBy(() -> alter(broker, set("listener.name.ssl.ssl.keystore.location", "/no/such.p12"),
                    set("log.segment.bytes", "5000000")))
                    .as("broker %d", nodeId)
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("broker " + nodeId + " has no SSL or SASL_SSL listener SSL");
            assertThat(describe(broker).get("log.segment.bytes").source()).as("broker %d", nodeId)
                    .isNotEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
        }
    }

    @Test
    void dynamicConfigsSurviveARestartOfTheNode() throws Exception {
        ConfigResource broker2 = new ConfigResource(ConfigResource.Type.BROKER, "2");
        alter(broker2, set("log.segment.bytes", "5000000"));
        alter(CLUSTER_DEFAULT, set("log.retention.bytes", "6000000"));
        try {
            cluster.stopNode(2);
            restarted(2);
            try (Admin node2 = Clients.admin(cluster.bootstrapServers(2))) {
                await("node 2 back").atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
                    Config configs = node2.describeConfigs(List.of(broker2)).all().get().get(broker2);
                    assertThat(configs.get("log.segment.bytes").value()).isEqualTo("5000000");
                    assertThat(configs.get("log.segment.bytes").source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
                    assertThat(configs.get("log.retention.bytes").value()).isEqualTo("6000000");
                    assertThat(configs.get("log.retention.bytes").source())
                            .isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
                });
            }
        } finally {
            alter(broker2, delete("log.segment.bytes"));
            alter(CLUSTER_DEFAULT, delete("log.retention.bytes"));
        }
    }

    /** Starts a stopped node and waits until it takes replicas again, as the other tests expect all three. */
    private static void restarted(int nodeId) {
        cluster.startNode(nodeId);
        awaitEveryBrokerTakesReplicas();
    }

    /** Waits until a topic with a replica on every broker can be created: all are registered and unfenced. */
    private static void awaitEveryBrokerTakesReplicas() {
        await("every broker registered and unfenced").atMost(TIMEOUT).ignoreExceptions().until(() -> {
            admin.createTopics(List.of(new NewTopic("probe-" + System.nanoTime(), 1,
                    (short) cluster.nodeIds().size()))).all().get();
            return true;
        });
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(String key) {
        return new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE);
    }

    private static void alter(ConfigResource resource, AlterConfigOp... ops)
            throws ExecutionException, InterruptedException {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get();
    }

    private static Config describe(ConfigResource resource) throws ExecutionException, InterruptedException {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
                .all().get().get(resource);
    }

    private static long startOffset(String topic) throws ExecutionException, InterruptedException {
        TopicPartition partition = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).all().get().get(partition).offset();
    }

    private static List<Integer> isr(String topic) throws ExecutionException, InterruptedException {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        return description.partitions().get(0).isr().stream().map(Node::id).toList();
    }
}
