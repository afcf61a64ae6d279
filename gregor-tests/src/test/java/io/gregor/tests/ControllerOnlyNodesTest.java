package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster laid out as in Kafka's production setups: three controller-only nodes
 * ({@code process.roles=controller}, nodes 1-3, the voters) and three broker-only nodes (4-6),
 * each in its own process. The controllers listen only on their controller listeners and are no
 * brokers; the brokers register with whichever controller is active, through its controller
 * listener, and serve real clients. SIGKILL of the active controller elects another while an
 * acks=all producer keeps being acknowledged. The tests run in order against the one cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerOnlyNodesTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<Integer> CONTROLLERS = Set.of(1, 2, 3);
    private static final Set<Integer> BROKERS = Set.of(4, 5, 6);
    private static final int RECORDS = 200;

    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.clusterWithRoles(dir,
            List.of("controller", "controller", "controller", "broker", "broker", "broker"),
            Map.of("broker.session.timeout.ms", "6000",
                    "broker.heartbeat.interval.ms", "500",
                    "offsets.topic.num.partitions", "3")));

    @Test
    @Order(1)
    void onlyTheBrokersAreBrokersAndTheControllersFormTheQuorum() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            assertThat(cluster.brokerIds()).isEqualTo(BROKERS);
            cluster.awaitBrokersRegistered(admin);
            // Clients send controller requests to the node Metadata names, so it must be a broker
            // (which forwards them), never a controller they could not reach.
            assertThat(admin.describeCluster().controller().get().id()).isIn(BROKERS);
            await("the brokers observers of the quorum the controllers vote in").atMost(CLUSTER_TIMEOUT)
                    .untilAsserted(() -> {
                        QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get();
                        assertThat(quorum.leaderId()).isIn(CONTROLLERS);
                        assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId)
                                .containsExactlyInAnyOrderElementsOf(CONTROLLERS);
                        assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId)
                                .containsExactlyInAnyOrderElementsOf(BROKERS);
                    });
        }
        for (GregorProcess controller : controllers()) {
            assertThat(controller.log()).contains("Gregor controller node").doesNotContain("registered with");
        }
    }

    @Test
    @Order(2)
    void aTopicOfReplicationFactorThreeOnTheBrokersServesAcksAllProducersAndConsumers() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
            await("orders led by brokers, with all three in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .untilAsserted(() -> assertThat(partitions(admin, "orders")).allSatisfy(p -> {
                        assertThat(p.leader().id()).isIn(BROKERS);
                        assertThat(ids(p.replicas())).isEqualTo(BROKERS);
                        assertThat(ids(p.isr())).isEqualTo(BROKERS);
                    }));
        }
        List<String> sent = produce("orders", "before", RECORDS);
        assertThat(consume("orders", 3, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    @Order(3)
    void whenTheActiveControllerIsKilledAnotherIsElectedAndProducersKeepWorking() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (Admin admin = Clients.admin(cluster.bootstrapServers());
             KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                     ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                     ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000))) {
            int oldLeader = admin.describeMetadataQuorum().quorumInfo().get().leaderId();
            assertThat(oldLeader).isIn(CONTROLLERS);
            acknowledged.addAll(send(producer, "orders", "pre-kill", RECORDS));

            cluster.node(oldLeader).kill();
            // The producer goes on while the quorum elects: brokers keep their partitions.
            acknowledged.addAll(send(producer, "orders", "during-election", RECORDS));

            await("another controller elected").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .untilAsserted(() -> assertThat(admin.describeMetadataQuorum().quorumInfo().get().leaderId())
                            .isIn(CONTROLLERS).isNotEqualTo(oldLeader));
            // Metadata changes go on through the new controller, and no broker was fenced.
            admin.createTopics(List.of(new NewTopic("after-failover", 2, (short) 3))).all().get();
            await("after-failover has leaders").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .untilAsserted(() -> assertThat(partitions(admin, "after-failover"))
                            .allSatisfy(p -> assertThat(p.leader().id()).isIn(BROKERS)));
            acknowledged.addAll(send(producer, "orders", "after-election", RECORDS));
            assertThat(ids(admin.describeCluster().nodes().get())).isEqualTo(BROKERS);
        }
        for (GregorProcess controller : controllers()) {
            if (controller.isAlive()) {
                assertThat(controller.log()).doesNotContain("Fencing broker");
            }
        }
        List<String> everything = new ArrayList<>(acknowledged);
        everything.addAll(IntStream.range(0, RECORDS).mapToObj(i -> "before-" + i).toList());
        assertThat(consume("orders", 3, everything.size())).containsExactlyInAnyOrderElementsOf(everything);
    }

    /** Sends {@code count} records one batch at a time and returns the values acknowledged. */
    private static List<String> send(KafkaProducer<String, String> producer, String topic, String prefix, int count)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = prefix + "-" + i;
            values.add(value);
            futures.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i), value)));
        }
        for (Future<RecordMetadata> future : futures) {
            future.get(90, TimeUnit.SECONDS);
        }
        return values;
    }

    private static List<String> produce(String topic, String prefix, int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            return send(producer, topic, prefix, count);
        }
    }

    private static List<String> consume(String topic, int partitions, int expected) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            consumer.assign(IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList());
            return Clients.pollUntil(consumer, expected, CLUSTER_TIMEOUT).stream().map(ConsumerRecord::value)
                    .toList();
        }
    }

    private static List<TopicPartitionInfo> partitions(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        return description.partitions();
    }

    private static List<GregorProcess> controllers() {
        return cluster.nodes().subList(0, 3);
    }

    private static Set<Integer> ids(Collection<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toSet());
    }
}
