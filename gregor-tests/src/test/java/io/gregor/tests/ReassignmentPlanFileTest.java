package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.tests.GregorCli.Result;
import io.gregor.testkit.GregorCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reassignment by JSON plan file with {@code gregor topic reassign} (its command line run in the
 * test's JVM, {@link GregorCli#runInProcess}) against a three-node cluster, and replication
 * throttle rates changed on running brokers as dynamic broker configs: a reassignment stalled by
 * a tiny rate completes once the rate is raised.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReassignmentPlanFileTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String FOLLOWER_RATE = "follower.replication.throttled.rate";
    private static final String LEADER_RATE = "leader.replication.throttled.rate";

    @TempDir
    static Path dir;
    private static GregorCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() {
        cluster = GregorCluster.start(dir, 3, Map.of("broker.heartbeat.interval.ms", "500",
                "auto.leader.rebalance.enable", "false", "offsets.topic.num.partitions", "1"));
        admin = Clients.admin(cluster.bootstrapServers());
        await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> admin.describeCluster().nodes().get().size() == 3);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aGeneratedPlanExecutedWithAThrottleIsVerifiedUntilCompleteAndTheThrottlesGo() throws Exception {
        String topic = "planned";
        admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 2), 1, List.of(2, 1))))).all().get();
        await("both partitions in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> describe(topic).partitions().stream().allMatch(p -> p.isr().size() == 2));
        List<String> written = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 200; i++) {
                written.add("record-" + i);
                producer.send(new ProducerRecord<>(topic, i % 2, null, "record-" + i)).get();
            }
        }

        Path topicsFile = Files.writeString(dir.resolve("topics.json"), "{\"topics\":[{\"topic\":\"planned\"}],\"version\":1}");
        Result generated = cli("topic", "reassign", "--generate", "--topics-to-move-json-file", topicsFile.toString(),
                "--broker-list", "2,3");
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        String proposal = "{\"version\":1,\"partitions\":["
                + "{\"topic\":\"planned\",\"partition\":0,\"replicas\":[2,3],\"log_dirs\":[\"any\",\"any\"]},"
                + "{\"topic\":\"planned\",\"partition\":1,\"replicas\":[3,2],\"log_dirs\":[\"any\",\"any\"]}]}";
        assertThat(generated.out()).isEqualTo("Current partition replica assignment\n"
                + "{\"version\":1,\"partitions\":["
                + "{\"topic\":\"planned\",\"partition\":0,\"replicas\":[1,2],\"log_dirs\":[\"any\",\"any\"]},"
                + "{\"topic\":\"planned\",\"partition\":1,\"replicas\":[2,1],\"log_dirs\":[\"any\",\"any\"]}]}\n\n"
                + "Proposed partition reassignment configuration\n" + proposal + "\n");

        Path plan = Files.writeString(dir.resolve("plan.json"), proposal);
        Result executed = cli("topic", "reassign", "--execute", "--reassignment-json-file", plan.toString(),
                "--throttle", "50000000");
        assertThat(executed.exitCode()).as(executed.err()).isZero();
        assertThat(executed.out()).contains("Save this to use as the --reassignment-json-file option during rollback",
                "The inter-broker throttle limit was set to 50000000 B/s",
                "Successfully started partition reassignments for planned-0,planned-1");
        await("the throttles set").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
            for (int broker = 1; broker <= 3; broker++) {
                ConfigEntry rate = brokerConfig(broker, LEADER_RATE);
                assertThat(rate.value()).isEqualTo("50000000");
                assertThat(rate.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);
                assertThat(brokerConfig(broker, FOLLOWER_RATE).value()).isEqualTo("50000000");
            }
            assertThat(topicConfig(topic, "leader.replication.throttled.replicas").value())
                    .isEqualTo("0:1,0:2,1:2,1:1");
            assertThat(topicConfig(topic, "follower.replication.throttled.replicas").value()).isEqualTo("0:3,1:3");
        });

        AtomicReference<Result> verified = new AtomicReference<>();
        await("--verify reports the reassignment complete").atMost(CLUSTER_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    verified.set(cli("topic", "reassign", "--verify", "--reassignment-json-file", plan.toString()));
                    return verified.get().out().contains("Reassignment of partition planned-0 is complete.")
                            && verified.get().out().contains("Reassignment of partition planned-1 is complete.");
                });
        assertThat(verified.get().exitCode()).isZero();
        assertThat(verified.get().out()).contains("Clearing broker-level throttles on brokers 1,2,3",
                "Clearing topic-level throttles on topic planned");
        await("the throttles removed").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
            for (int broker = 1; broker <= 3; broker++) {
                assertThat(brokerConfig(broker, LEADER_RATE).source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
                assertThat(brokerConfig(broker, FOLLOWER_RATE).source())
                        .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            }
            assertThat(topicConfig(topic, "leader.replication.throttled.replicas").source())
                    .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(topicConfig(topic, "follower.replication.throttled.replicas").source())
                    .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        });

        assertThat(describe(topic).partitions()).extracting(p -> p.replicas().stream().map(Node::id).toList())
                .containsExactly(List.of(2, 3), List.of(3, 2));
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(3), Map.of())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            assertThat(Clients.pollUntil(consumer, written.size(), CLUSTER_TIMEOUT))
                    .extracting(r -> r.value()).containsExactlyInAnyOrderElementsOf(written);
        }
    }

    @Test
    @Order(2)
    void aReassignmentStalledByATinyFollowerRateCompletesOnceTheRunningBrokersRateIsRaised() throws Exception {
        String topic = "stalled";
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        ConfigResource broker3 = new ConfigResource(ConfigResource.Type.BROKER, "3");
        try {
            alter(clusterDefault, FOLLOWER_RATE, Optional.of("1"));
            await("the cluster default in force on broker 3").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
                ConfigEntry rate = brokerConfig(3, FOLLOWER_RATE);
                assertThat(rate.value()).isEqualTo("1");
                assertThat(rate.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            });
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 2)))
                    .configs(Map.of("follower.replication.throttled.replicas", "0:3")))).all().get();
            await("the partition in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> describe(topic).partitions().get(0).isr().size() == 2);
            produceMegabytes(topic, 3);

            admin.alterPartitionReassignments(Map.of(new TopicPartition(topic, 0),
                    Optional.of(new NewPartitionReassignment(List.of(1, 3))))).all().get();
            await("the reassignment stays in progress at 1 byte/s").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> admin.listPartitionReassignments().reassignments().get()
                            .containsKey(new TopicPartition(topic, 0)));

            alter(broker3, FOLLOWER_RATE, Optional.of("1000000000"));
            await("broker 3's own rate shown over the default").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
                ConfigEntry rate = brokerConfig(3, FOLLOWER_RATE);
                assertThat(rate.value()).isEqualTo("1000000000");
                assertThat(rate.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);
                assertThat(rate.synonyms()).extracting(ConfigEntry.ConfigSynonym::source).containsSubsequence(
                        ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG,
                        ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            });
            await("the reassignment completes at the raised rate").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.listPartitionReassignments().reassignments().get().isEmpty());
            await("the new replicas in the metadata").atMost(CLUSTER_TIMEOUT).untilAsserted(() ->
                    assertThat(describe(topic).partitions().get(0).replicas()).extracting(Node::id)
                            .containsExactly(1, 3));
        } finally {
            alter(clusterDefault, FOLLOWER_RATE, Optional.empty());
            alter(broker3, FOLLOWER_RATE, Optional.empty());
        }
    }

    @Test
    @Order(3)
    void aPlanThatCannotWorkGetsOneLineAndChangesNothing() throws Exception {
        admin.createTopics(List.of(new NewTopic("kept", Map.of(0, List.of(1))))).all().get();
        Path unknownTopic = Files.writeString(dir.resolve("unknown-topic.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"nope\",\"partition\":0,\"replicas\":[1]}]}");
        Path unknownBroker = Files.writeString(dir.resolve("unknown-broker.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"kept\",\"partition\":0,\"replicas\":[1,9]}]}");
        Path malformed = Files.writeString(dir.resolve("malformed.json"), "{\"version\":1,\n\"partitions\":[{]}");

        Result topicMissing = cli("topic", "reassign", "--execute", "--reassignment-json-file", unknownTopic.toString());
        assertThat(topicMissing.exitCode()).isEqualTo(1);
        assertThat(topicMissing.err().strip()).isEqualTo("Error: Topic nope does not exist (see 'gregor topic list')");

        Result brokerMissing = cli("topic", "reassign", "--execute", "--reassignment-json-file",
                unknownBroker.toString(), "--throttle", "1000");
        assertThat(brokerMissing.exitCode()).isEqualTo(1);
        assertThat(brokerMissing.err().strip())
                .isEqualTo("Error: Partition kept-0: broker 9 is not registered or not running (brokers: 1,2,3)");

        Result notJson = cli("topic", "reassign", "--verify", "--reassignment-json-file", malformed.toString());
        assertThat(notJson.exitCode()).isEqualTo(2);
        assertThat(notJson.err().strip()).isEqualTo("Error: Invalid reassignment plan " + malformed
                + ": not JSON: line 2, column 16: unexpected ']', expected a member name in quotes");

        assertThat(topicConfig("kept", "follower.replication.throttled.replicas").source())
                .as("nothing set by the refused --throttle").isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
    }

    @Test
    @Order(4)
    void aPlanStalledByItsThrottleIsReportedInProgressAndCancelledBackToItsReplicas() throws Exception {
        String topic = "cancelled";
        admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 2))))).all().get();
        await("the partition in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> describe(topic).partitions().get(0).isr().size() == 2);
        produceMegabytes(topic, 3);
        Path plan = Files.writeString(dir.resolve("cancelled.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"cancelled\",\"partition\":0,\"replicas\":[3,2]}]}");

        Result executed = cli("topic", "reassign", "--execute", "--reassignment-json-file", plan.toString(),
                "--throttle", "1");
        assertThat(executed.exitCode()).as(executed.err()).isZero();
        Result verified = cli("topic", "reassign", "--verify", "--reassignment-json-file", plan.toString());
        assertThat(verified.exitCode()).isZero();
        assertThat(verified.out()).contains("Reassignment of partition cancelled-0 is still in progress.")
                .doesNotContain("Clearing");
        await("the throttle in force on broker 1").atMost(CLUSTER_TIMEOUT).untilAsserted(() ->
                assertThat(brokerConfig(1, LEADER_RATE).value()).as("throttles stay while in progress").isEqualTo("1"));

        Path other = Files.writeString(dir.resolve("other.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"planned\",\"partition\":0,\"replicas\":[3,1]}]}");
        Result overlapping = cli("topic", "reassign", "--execute", "--reassignment-json-file", other.toString());
        assertThat(overlapping.exitCode()).isEqualTo(1);
        assertThat(overlapping.err().strip()).isEqualTo("Error: Reassignments are in progress (cancelled-0); wait for "
                + "them (--verify, --list), or add --additional to start this one as well");

        Result cancelled = cli("topic", "reassign", "--cancel", "--reassignment-json-file", plan.toString());
        assertThat(cancelled.exitCode()).as(cancelled.err()).isZero();
        assertThat(cancelled.out()).contains("Successfully cancelled partition reassignment for cancelled-0",
                "Clearing broker-level throttles on brokers 1,2,3", "Clearing topic-level throttles on topic cancelled");
        await("back to the replicas from before, throttles gone").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
            assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
            // The replicas from before, in the order the controller keeps them while reassigning (the
            // target's first, then those being removed), as in Kafka.
            assertThat(describe(topic).partitions().get(0).replicas()).extracting(Node::id)
                    .containsExactlyInAnyOrder(1, 2);
            assertThat(brokerConfig(1, LEADER_RATE).source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(topicConfig(topic, "follower.replication.throttled.replicas").source())
                    .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        });
        Result failed = cli("topic", "reassign", "--verify", "--reassignment-json-file", plan.toString());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out()).containsPattern("Reassignment of partition cancelled-0 failed: it is not in "
                + "progress, and its replicas are (1,2|2,1) rather than 3,2\\.");
    }

    @Test
    @Order(5)
    void executingAgainWithAdditionalRaisesTheThrottleOfAStalledPlan() throws Exception {
        String topic = "raised";
        admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 2))))).all().get();
        await("the partition in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> describe(topic).partitions().get(0).isr().size() == 2);
        produceMegabytes(topic, 3);
        Path plan = Files.writeString(dir.resolve("raised.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"raised\",\"partition\":0,\"replicas\":[1,3]}]}");
        assertThat(cli("topic", "reassign", "--execute", "--reassignment-json-file", plan.toString(), "--throttle", "1")
                .exitCode()).isZero();
        await("the reassignment stays in progress at 1 byte/s").during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> cli("topic", "reassign", "--verify", "--reassignment-json-file", plan.toString()).out()
                        .contains("Reassignment of partition raised-0 is still in progress."));

        Result raised = cli("topic", "reassign", "--execute", "--additional", "--reassignment-json-file",
                plan.toString(), "--throttle", "100000000");
        assertThat(raised.exitCode()).as(raised.err()).isZero();
        assertThat(raised.out()).contains("The inter-broker throttle limit was set to 100000000 B/s");
        assertThat(topicConfig(topic, "follower.replication.throttled.replicas").value())
                .as("computed from the replicas before the reassignment, not those being added").isEqualTo("0:3");

        await("--verify reports it complete at the raised rate").atMost(CLUSTER_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> cli("topic", "reassign", "--verify", "--reassignment-json-file", plan.toString()).out()
                        .contains("Reassignment of partition raised-0 is complete."));
        await("the throttles removed").atMost(CLUSTER_TIMEOUT).untilAsserted(() ->
                assertThat(brokerConfig(3, FOLLOWER_RATE).source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG));
    }

    /** Writes {@code megabytes} MB to partition 0: more than one follower fetch (replica.fetch.max.bytes, 1 MB) takes. */
    private static void produceMegabytes(String topic, int megabytes) throws Exception {
        byte[] value = new byte[10 * 1024];
        try (KafkaProducer<byte[], byte[]> producer = Clients.bytesProducer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < megabytes * 100; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, 0, null, value)));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        }
    }

    private static Result cli(String... args) {
        return GregorCli.runInProcess(cluster.bootstrapServers(), "", args);
    }

    private static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    private static ConfigEntry brokerConfig(int broker, String key) throws Exception {
        return config(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker)), key);
    }

    private static ConfigEntry topicConfig(String topic, String key) throws Exception {
        return config(new ConfigResource(ConfigResource.Type.TOPIC, topic), key);
    }

    private static ConfigEntry config(ConfigResource resource, String key) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
                .all().get().get(resource).get(key);
    }

    private static void alter(ConfigResource resource, String key, Optional<String> value) throws Exception {
        AlterConfigOp op = value.map(v -> new AlterConfigOp(new ConfigEntry(key, v), AlterConfigOp.OpType.SET))
                .orElseGet(() -> new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE));
        admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
    }
}
