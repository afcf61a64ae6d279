package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.Gauge;
import io.gregor.testkit.GregorCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
 * Followers fetch in incremental fetch sessions, as Kafka's do: on three nodes in this JVM, each
 * leader holds a session of each of its two followers (its FetchSessionCache gauges, which the
 * server shows over JMX under the same names), and records written with acks=all reach every
 * replica and a consumer reading the leaders, which fetches in sessions of its own.
 */
class FetchSessionsClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "replicated-in-sessions";
    private static final int PARTITIONS = 30;
    private static final int RECORDS = 600;
    private static final List<Integer> NODES = List.of(1, 2, 3);

    @TempDir
    static Path tempDir;
    static GregorCluster cluster;

    @BeforeAll
    static void start() {
        cluster = GregorCluster.start(tempDir, NODES.size(), Map.of("broker.heartbeat.interval.ms", "500"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachLeaderHoldsASessionOfEachFollowerAndEveryRecordIsReplicatedAndRead() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("three brokers").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == NODES.size());
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "3"))));
        }
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < RECORDS; i++) {
                sent.add("value-" + i);
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, "value-" + i)).get();
            }
        }
        // every partition's leader sits in the middle of its followers' sessions: 2 per node leading any
        await("a session of each follower on each leader").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
            for (int node : NODES) {
                if (gauge(node, "kafka.server:type=ReplicaManager,name=LeaderCount") > 0) {
                    assertThat(gauge(node, "kafka.server:type=FetchSessionCache,name=NumIncrementalFetchSessions"))
                            .as("fetch sessions on node " + node).isGreaterThanOrEqualTo(2);
                }
            }
            assertThat(sumOfGauges("kafka.server:type=FetchSessionCache,name=NumIncrementalFetchPartitionsCached"))
                    .as("each partition in the sessions of its two followers").isGreaterThanOrEqualTo(2 * PARTITIONS);
        });

        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            consumer.assign(partitions);
            List<String> read = Clients.pollUntil(consumer, RECORDS, CLUSTER_TIMEOUT).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(read).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    private static int sumOfGauges(String name) {
        return NODES.stream().mapToInt(node -> gauge(node, name)).sum();
    }

    private static int gauge(int node, String name) {
        Gauge<?> gauge = cluster.metrics(node).getGauges().get(name);
        assertThat(gauge).as(name + " on node " + node).isNotNull();
        return (Integer) gauge.getValue();
    }
}
