package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition reassignment across Gregor processes: three nodes hold a replication-factor-2 topic
 * with acknowledged records; a fourth, broker-only node started afterwards takes one replica of
 * each partition by {@code Admin.alterPartitionReassignments}, catches up as a follower, and once
 * the reassignment completes it leads the partitions and serves every acknowledged record, while
 * the brokers that lost their replica have deleted its log. A throttled reassignment copies no
 * faster than the follower or leader replication throttle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartitionReassignmentTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "moving";
    private static final int RECORDS_PER_PARTITION = 300;
    private static final long THROTTLE_BYTES_PER_SECOND = 400 * 1024;

    @TempDir
    static Path tempDir;
    private static List<GregorProcess> nodes;

    @BeforeAll
    static void startThreeOfFourNodes() {
        nodes = GregorProcess.cluster(tempDir, 3, 1, Map.of(
                "broker.session.timeout.ms", "6000",
                "broker.heartbeat.interval.ms", "500",
                "auto.leader.rebalance.enable", "false",
                "offsets.topic.num.partitions", "3",
                // Small follower fetches, so that the throttle below is measured in many steps.
                "replica.fetch.max.bytes", "65536",
                "follower.replication.throttled.rate", Long.toString(THROTTLE_BYTES_PER_SECOND),
                "leader.replication.throttled.rate", Long.toString(THROTTLE_BYTES_PER_SECOND)));
        nodes.subList(0, 3).forEach(GregorProcess::start);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.forEach(GregorProcess::close);
        }
    }

    @Test
    @Order(1)
    void aBrokerAddedToTheClusterReceivesPartitionsByReassignmentAndServesThem() throws Exception {
        String bootstrap = nodes.subList(0, 3).stream().map(GregorProcess::bootstrapServers)
                .collect(Collectors.joining(","));
        Map<Integer, List<String>> acknowledged;
        try (Admin admin = Clients.admin(bootstrap)) {
            await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == 3);
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(1, 2), 1, List.of(2, 3)))))
                    .all().get();
            await("both partitions fully in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> partitions(admin).stream().allMatch(p -> p.isr().size() == 2));
            acknowledged = produce(bootstrap);

            GregorProcess added = nodes.get(3);
            added.start();
            await("the new broker registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == 4);

            // Broker 4 replaces the current leader of each partition and comes first, so it leads.
            admin.alterPartitionReassignments(Map.of(
                    new TopicPartition(TOPIC, 0), Optional.of(new NewPartitionReassignment(List.of(4, 2))),
                    new TopicPartition(TOPIC, 1), Optional.of(new NewPartitionReassignment(List.of(4, 3)))))
                    .all().get();
            await("the reassignments complete").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.listPartitionReassignments().reassignments().get().isEmpty());

            // The controller has completed them; the broker answering describeTopics may apply
            // that metadata a moment later.
            await("the completed reassignments in the metadata").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
                List<TopicPartitionInfo> partitions = partitions(admin);
                assertThat(replicaIds(partitions.get(0))).containsExactly(4, 2);
                assertThat(replicaIds(partitions.get(1))).containsExactly(4, 3);
                assertThat(partitions).allSatisfy(p -> {
                    assertThat(p.leader().id()).isEqualTo(4);
                    assertThat(p.isr()).extracting(Node::id).containsExactlyInAnyOrderElementsOf(replicaIds(p));
                });
            });

            await("the removed replicas' logs deleted").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
                assertThat(nodes.get(0).dataDir().resolve(TOPIC + "-0")).doesNotExist();
                assertThat(nodes.get(1).dataDir().resolve(TOPIC + "-1")).doesNotExist();
            });
            assertThat(nodes.get(3).dataDir().resolve(TOPIC + "-0")).isDirectory();
            assertThat(nodes.get(3).dataDir().resolve(TOPIC + "-1")).isDirectory();
        }

        // Only the new broker is bootstrapped, and it leads both partitions: it serves them.
        try (KafkaConsumer<String, String> consumer = Clients.consumer(nodes.get(3).bootstrapServers(), Map.of())) {
            for (int partition = 0; partition < 2; partition++) {
                TopicPartition tp = new TopicPartition(TOPIC, partition);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<ConsumerRecord<String, String>> read = Clients.pollUntil(consumer, RECORDS_PER_PARTITION,
                        CLUSTER_TIMEOUT);
                assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(acknowledged.get(partition));
            }
        }
    }

    /**
     * With the new replica listed in follower.replication.throttled.replicas (what
     * kafka-reassign-partitions --throttle sets), it copies the partition no faster than
     * follower.replication.throttled.rate: at most one second's worth and one fetch more.
     */
    @Test
    @Order(2)
    void aFollowerThrottledReassignmentCopiesNoFasterThanTheFollowerRate() throws Exception {
        reassignThrottled("follower-throttled", "follower.replication.throttled.replicas", "0:4");
    }

    /** The same on the sending side: the leader, broker 1, lists its replica as throttled. */
    @Test
    @Order(3)
    void aLeaderThrottledReassignmentCopiesNoFasterThanTheLeaderRate() throws Exception {
        reassignThrottled("leader-throttled", "leader.replication.throttled.replicas", "0:1");
    }

    /** Writes 2 MB to a partition on [1, 2] with the throttle config, moves it to [4, 2], checks the time. */
    private static void reassignThrottled(String topic, String throttleConfig, String throttledReplicas)
            throws Exception {
        String bootstrap = nodes.get(0).bootstrapServers();
        int records = 200;
        byte[] value = new byte[10 * 1024];
        new Random(42).nextBytes(value);
        try (Admin admin = Clients.admin(bootstrap)) {
            await("four brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == 4);
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 2)))
                    .configs(Map.of(throttleConfig, throttledReplicas)))).all().get();
            await("the partition led by broker 1").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                            .partitions().get(0).leader().id() == 1);
            try (KafkaProducer<byte[], byte[]> producer = Clients.bytesProducer(bootstrap, Map.of(
                    ProducerConfig.ACKS_CONFIG, "all"))) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int i = 0; i < records; i++) {
                    sends.add(producer.send(new ProducerRecord<>(topic, 0, null, value)));
                }
                for (Future<RecordMetadata> send : sends) {
                    send.get();
                }
            }
            long bytes = (long) records * value.length;
            long started = System.nanoTime();
            admin.alterPartitionReassignments(Map.of(new TopicPartition(topic, 0),
                    Optional.of(new NewPartitionReassignment(List.of(4, 2))))).all().get();
            await("the throttled reassignment completes").atMost(CLUSTER_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> admin.listPartitionReassignments().reassignments().get().isEmpty());
            double seconds = (System.nanoTime() - started) / 1e9;

            double fastestAllowed = (bytes - THROTTLE_BYTES_PER_SECOND - 65536.0) / THROTTLE_BYTES_PER_SECOND;
            assertThat(seconds).as("%d bytes at %d bytes/s", bytes, THROTTLE_BYTES_PER_SECOND)
                    .isGreaterThanOrEqualTo(fastestAllowed);
            await("the completed reassignment in the metadata").atMost(CLUSTER_TIMEOUT).untilAsserted(() ->
                    assertThat(replicaIds(admin.describeTopics(List.of(topic)).allTopicNames().get()
                            .get(topic).partitions().get(0))).containsExactly(4, 2));
        }
    }

    @Test
    @Order(4)
    void invalidTargetsAndCancellingNothingAreRefusedPerPartition() throws Exception {
        String bootstrap = nodes.get(0).bootstrapServers();
        try (Admin admin = Clients.admin(bootstrap)) {
            await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() >= 3);
            admin.createTopics(List.of(new NewTopic("staying", 1, (short) 2))).all().get();
            TopicPartition tp = new TopicPartition("staying", 0);

            assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(tp,
                    Optional.of(new NewPartitionReassignment(List.of(1, 99))))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidReplicaAssignmentException.class);
            assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(tp,
                    Optional.of(new NewPartitionReassignment(List.of(1, 1))))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidReplicaAssignmentException.class);
            assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(tp, Optional.empty())).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(NoReassignmentInProgressException.class);
            assertThat(admin.listPartitionReassignments().reassignments().get()).doesNotContainKey(tp);
        }
    }

    private static Map<Integer, List<String>> produce(String bootstrap) throws Exception {
        Map<Integer, List<String>> acknowledged = Map.of(0, new ArrayList<>(), 1, new ArrayList<>());
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of(
                ProducerConfig.ACKS_CONFIG, "all"))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                for (int partition = 0; partition < 2; partition++) {
                    String value = "p" + partition + "-" + i;
                    sends.add(producer.send(new ProducerRecord<>(TOPIC, partition, null, value)));
                    acknowledged.get(partition).add(value);
                }
            }
            for (Future<RecordMetadata> send : sends) {
                send.get(); // acknowledged by both replicas (idempotent, so in order), or the test fails here
            }
        }
        return acknowledged;
    }

    private static List<TopicPartitionInfo> partitions(Admin admin) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
        return description.partitions();
    }

    private static List<Integer> replicaIds(TopicPartitionInfo partition) {
        return partition.replicas().stream().map(Node::id).toList();
    }
}
