package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole cluster stopped and started again: the metadata quorum replays its log on every node,
 * the brokers register again, topics keep their ids and partitions, and records written before
 * are read after. Single-replica partitions, so that this is about the metadata, not replication.
 */
class ClusterRestartTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    @Test
    void aStoppedClusterComesBackWithItsTopicsAndRecords() throws Exception {
        List<GregorProcess> nodes = GregorProcess.cluster(tempDir, 3, Map.of("broker.heartbeat.interval.ms", "500"));
        try {
            nodes.forEach(GregorProcess::start);
            String bootstrap = nodes.stream().map(GregorProcess::bootstrapServers).collect(Collectors.joining(","));
            TopicDescription before;
            try (Admin admin = Clients.admin(nodes.get(1).bootstrapServers())) {
                awaitCluster(nodes, "three brokers", () -> admin.describeCluster().nodes().get().size() == 3);
                admin.createTopics(List.of(new NewTopic("kept", 6, (short) 1))).all().get();
                await("leaders for kept").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                        .until(() -> describe(admin).partitions().stream().allMatch(p -> p.leader() != null));
                before = describe(admin);
            }
            assertThat(before.partitions().stream().map(p -> p.leader().id()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder(1, 2, 3);
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                    Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                for (int i = 0; i < 600; i++) {
                    producer.send(new ProducerRecord<>("kept", i % 6, "k" + i, "v" + i));
                }
                producer.flush();
            }

            for (GregorProcess node : nodes) {
                assertThat(node.stop()).isZero();
            }
            nodes.forEach(GregorProcess::start);

            try (Admin admin = Clients.admin(nodes.get(2).bootstrapServers())) {
                awaitCluster(nodes, "three brokers again, every partition led", () ->
                        admin.describeCluster().nodes().get().size() == 3
                                && describe(admin).partitions().stream().allMatch(p -> p.leader() != null));
                TopicDescription after = describe(admin);
                assertThat(after.topicId()).isEqualTo(before.topicId());
                assertThat(after.partitions()).extracting(p -> p.replicas().stream().map(Node::id).toList())
                        .isEqualTo(before.partitions().stream().map(p -> p.replicas().stream().map(Node::id).toList())
                                .toList());
            }
            try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of())) {
                consumer.assign(Set.of(0, 1, 2, 3, 4, 5).stream().map(p -> new TopicPartition("kept", p)).toList());
                List<ConsumerRecord<String, String>> read = Clients.pollUntil(consumer, 600, CLUSTER_TIMEOUT);
                assertThat(read).hasSize(600);
            }
        } finally {
            nodes.forEach(GregorProcess::close);
        }
    }

    /** Awaits a cluster condition; when it does not come, the failure carries the end of each node's log. */
    private static void awaitCluster(List<GregorProcess> nodes, String alias, Callable<Boolean> condition) {
        try {
            await(alias).atMost(CLUSTER_TIMEOUT).ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException e) {
            StringBuilder logs = new StringBuilder(e.getMessage());
            for (GregorProcess node : nodes) {
                List<String> lines = node.log().lines().toList();
                logs.append("\n--- ").append(node.dataDir().getFileName()).append(" ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            throw new AssertionError(logs.toString(), e);
        }
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of("kept")).allTopicNames().get().get("kept");
    }
}
