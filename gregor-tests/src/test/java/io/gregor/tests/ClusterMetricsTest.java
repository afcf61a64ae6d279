package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.Gauge;
import io.gregor.testkit.GregorCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meters a cluster's operator watches, on three nodes in this JVM (read from each node's
 * registry, which the server shows over JMX under the same names: JmxMetricsTest): replication
 * bytes, leaders and partitions per node, the active controller and its counts, the
 * under-replicated (and under min ISR) partitions a stopped replica leaves, Kafka's first alert,
 * and the ISR expansions that end them once it is back.
 */
class ClusterMetricsTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "replicated-metered";
    private static final int PARTITIONS = 3;
    private static final List<Integer> NODES = List.of(1, 2, 3);

    @TempDir
    static Path tempDir;
    static GregorCluster cluster;

    @BeforeAll
    static void start() {
        cluster = GregorCluster.start(tempDir, NODES.size(), Map.of("broker.heartbeat.interval.ms", "500",
                "replica.lag.time.max.ms", "2000"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void replicationIsMeteredAndAStoppedReplicaLeavesItsPartitionsUnderReplicatedUntilItIsBack() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("three brokers").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == NODES.size());
            // with every replica needed for acks=all, a replica down leaves each partition under min ISR
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "3"))));
            assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get())
                    .as("the controller's counts below are of this topic alone").containsExactly(TOPIC);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i));
            }
            producer.flush();
        }

        long bytesIn = sumOfMeters(NODES, "BytesInPerSec,topic=" + TOPIC);
        assertThat(bytesIn).isPositive();
        assertThat(sumOfMeters(NODES, "MessagesInPerSec,topic=" + TOPIC)).isEqualTo(300);
        // each batch goes from its leader to two followers
        await("replication meters").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
            assertThat(sumOfMeters(NODES, "ReplicationBytesInPerSec")).isEqualTo(2 * bytesIn);
            assertThat(sumOfMeters(NODES, "ReplicationBytesOutPerSec")).isGreaterThanOrEqualTo(2 * bytesIn);
        });
        for (int node : NODES) {
            assertThat(gauge(node, "kafka.server:type=ReplicaManager,name=PartitionCount")).isEqualTo(PARTITIONS);
            assertThat(gauge(node, "kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions")).isZero();
        }
        assertThat(sumOfGauges(NODES, "kafka.server:type=ReplicaManager,name=LeaderCount")).isEqualTo(PARTITIONS);
        assertThat(sumOfGauges(NODES, "kafka.controller:type=KafkaController,name=ActiveControllerCount"))
                .isEqualTo(1);
        // reported by the active controller alone, as in Kafka
        assertThat(sumOfGauges(NODES, "kafka.controller:type=KafkaController,name=GlobalTopicCount")).isEqualTo(1);
        assertThat(sumOfGauges(NODES, "kafka.controller:type=KafkaController,name=GlobalPartitionCount"))
                .isEqualTo(PARTITIONS);
        assertThat(sumOfGauges(NODES, "kafka.controller:type=KafkaController,name=OfflinePartitionsCount")).isZero();
        assertThat(sumOfGauges(NODES, "kafka.server:type=ReplicaManager,name=UnderMinIsrPartitionCount")).isZero();

        cluster.stopNode(3);

        List<Integer> up = List.of(1, 2);
        await("partitions under-replicated without node 3").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
            assertThat(sumOfGauges(up, "kafka.server:type=ReplicaManager,name=LeaderCount")).isEqualTo(PARTITIONS);
            assertThat(sumOfGauges(up, "kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions"))
                    .isEqualTo(PARTITIONS);
            assertThat(sumOfGauges(up, "kafka.server:type=ReplicaManager,name=UnderMinIsrPartitionCount"))
                    .isEqualTo(PARTITIONS);
            assertThat(sumOfGauges(up, "kafka.controller:type=KafkaController,name=ActiveControllerCount"))
                    .isEqualTo(1);
        });

        cluster.startNode(3);

        // node 3 catches up and its leaders take it back into the ISRs
        await("partitions fully replicated again").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
            assertThat(sumOfGauges(NODES, "kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions"))
                    .isZero();
            assertThat(sumOfMeters(NODES, "kafka.server:type=ReplicaManager,name=IsrExpandsPerSec"))
                    .isGreaterThanOrEqualTo(PARTITIONS);
        });
    }

    private static long sumOfMeters(List<Integer> nodes, String nameAndTags) {
        String name = nameAndTags.startsWith("kafka.") ? nameAndTags
                : "kafka.server:type=BrokerTopicMetrics,name=" + nameAndTags;
        return nodes.stream()
                .map(node -> cluster.metrics(node).getMeters().get(name))
                .mapToLong(meter -> meter == null ? 0 : meter.getCount())
                .sum();
    }

    private static int sumOfGauges(List<Integer> nodes, String name) {
        return nodes.stream().mapToInt(node -> gauge(node, name)).sum();
    }

    private static int gauge(int node, String name) {
        Gauge<?> gauge = cluster.metrics(node).getGauges().get(name);
        assertThat(gauge).as(name + " on node " + node).isNotNull();
        return (Integer) gauge.getValue();
    }
}
