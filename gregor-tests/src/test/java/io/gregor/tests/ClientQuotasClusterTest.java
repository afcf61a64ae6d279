package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;
import org.apache.kafka.common.requests.AlterClientQuotasResponse;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;
import org.apache.kafka.common.requests.DescribeClientQuotasResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a three-node cluster, a quota set through one node is forwarded to the active controller,
 * committed to the metadata log, and enforced by another node that leads the partition a producer
 * writes to. Raw connections pin each admin request to one node, which the AdminClient does not
 * let one choose.
 */
class ClientQuotasClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tempDir;
    private static GregorCluster cluster;

    @BeforeAll
    static void start() {
        cluster = GregorCluster.start(tempDir, 3, Map.of("broker.heartbeat.interval.ms", "500",
                "quota.window.num", "2", "quota.window.size.seconds", "1"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aQuotaSetThroughOneNodeIsEnforcedByTheLeaderOnAnother() throws Exception {
        int leader;
        int controller;
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            // the brokers register with the controller once the quorum has a leader
            await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == 3);
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("cluster-quota", 1, (short) 1)));
            leader = admin.describeTopics(List.of("cluster-quota")).allTopicNames().get().get("cluster-quota")
                    .partitions().get(0).leader().id();
            await("an active controller").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().controller().get() != null);
            controller = admin.describeCluster().controller().get().id();
        }
        // Through a node that neither leads the partition nor, when it can be helped, is the controller.
        int through = cluster.nodeIds().stream().filter(id -> id != leader)
                .sorted((a, b) -> Boolean.compare(a == controller, b == controller)).findFirst().orElseThrow();
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "cluster-slow"));
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers(through))) {
            AlterClientQuotasResponse response = (AlterClientQuotasResponse) connection.send(
                    new AlterClientQuotasRequest.Builder(List.of(new ClientQuotaAlteration(entity,
                            List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 20_000.0)))), false)
                            .build((short) 1));
            assertThat(response.data().entries()).singleElement().satisfies(entry ->
                    assertThat(entry.errorCode()).as(entry.errorMessage()).isEqualTo(Errors.NONE.code()));
        }
        for (int node : cluster.nodeIds()) {
            await("the quota seen from node " + node).atMost(CLUSTER_TIMEOUT)
                    .until(() -> describesClientId(node, "cluster-slow"));
        }

        // 100 KB against 20 KB/s judged over at least 1 s: throttled by the leader from the first requests.
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.CLIENT_ID_CONFIG, "cluster-slow"))) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("cluster-quota", "x".repeat(1_000)));
            }
            producer.flush();
            assertThat(producer.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("produce-throttle-time-max"))
                    .map(e -> (Double) e.getValue().metricValue()).findFirst().orElseThrow()).isPositive();
        }
    }

    /** Whether the node describes a quota set on exactly that client id. */
    private static boolean describesClientId(int node, String clientId) throws Exception {
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers(node))) {
            DescribeClientQuotasResponse response = (DescribeClientQuotasResponse) connection.send(
                    new DescribeClientQuotasRequest.Builder(ClientQuotaFilter.all()).build((short) 1));
            return response.data().entries().stream().anyMatch(entry -> entry.entity().size() == 1
                    && entry.entity().get(0).entityType().equals(ClientQuotaEntity.CLIENT_ID)
                    && clientId.equals(entry.entity().get(0).entityName()));
        }
    }
}
