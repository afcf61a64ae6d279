package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The group and transaction coordinators of a cluster follow the leadership of their internal
 * topics' partitions: when the broker coordinating a group or a transactional id is SIGKILLed,
 * the broker that takes over the leadership of its {@code __consumer_offsets} or
 * {@code __transaction_state} partition loads the state from its replica, and clients find it
 * with FindCoordinator. Each test kills one node and restarts it afterwards.
 */
class CoordinatorFailoverTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String GROUP_TOPIC = "coordinated-group";
    private static final String TXN_TOPIC = "coordinated-txn";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 300;

    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.cluster(dir, 3, Map.of(
            "broker.session.timeout.ms", "4000",
            "broker.heartbeat.interval.ms", "500",
            // the group's consumers join one at a time: none waits for others to come
            "group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "3",
            "offsets.topic.replication.factor", "3",
            "transaction.state.log.num.partitions", "3",
            "transaction.state.log.replication.factor", "3")));
    private static GregorProcess killed;

    @BeforeAll
    static void createTopics() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            cluster.awaitBrokersRegistered(admin);
            admin.createTopics(List.of(GROUP_TOPIC, TXN_TOPIC).stream().map(topic -> new NewTopic(topic, PARTITIONS,
                    (short) 3).configs(Map.of("min.insync.replicas", "2"))).toList()).all().get();
        }
    }

    /** Brings the killed node back and waits until it is a broker of the cluster again. */
    @AfterEach
    void restartKilledNode() {
        if (killed == null) {
            return;
        }
        killed.start();
        killed = null;
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            cluster.awaitBrokersRegistered(admin);
        }
    }

    @Test
    void aGroupKeepsItsCommittedOffsetsWhenItsCoordinatorDies() throws Exception {
        String group = "survivors";
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(GROUP_TOPIC, i % PARTITIONS, "k", "v-" + i));
            }
            producer.flush();
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = groupConsumer(cluster.bootstrapServers(), group, Map.of())) {
            consumer.subscribe(List.of(GROUP_TOPIC));
            List<ConsumerRecord<String, String>> read = Clients.pollUntil(consumer, RECORDS / 2, CLUSTER_TIMEOUT);
            assertThat(read).hasSizeGreaterThanOrEqualTo(RECORDS / 2);
            consumer.commitSync();
            // What the group committed: a partition the consumer had not fetched from yet has no
            // position, so commitSync left it out, and it resumes by auto.offset.reset.
            consumer.committed(consumer.assignment()).forEach((partition, offset) -> {
                if (offset != null) {
                    committed.put(partition, offset.offset());
                }
            });
        }
        long committedRecords = committed.values().stream().mapToLong(Long::longValue).sum();

        int coordinator;
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            coordinator = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get()
                    .coordinator().id();
        }
        kill(coordinator);
        String survivors = bootstrapOf(cluster.nodes().stream().filter(n -> n != killed).toList());

        try (Admin admin = Clients.admin(survivors)) {
            // Until the dead node is fenced, FindCoordinator still names it, and the admin client
            // retries it up to the call's timeout (30 s by default): each ask gives up sooner and
            // the await asks again.
            DescribeConsumerGroupsOptions ask = new DescribeConsumerGroupsOptions().timeoutMs(3_000);
            await("another broker coordinating " + group).atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeConsumerGroups(List.of(group), ask).describedGroups().get(group).get()
                            .coordinator().id() != coordinator);
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertThat(offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> e.getValue().offset()))).isEqualTo(committed);
        }
        try (KafkaConsumer<String, String> consumer = groupConsumer(survivors, group, Map.of())) {
            consumer.subscribe(List.of(GROUP_TOPIC));
            List<ConsumerRecord<String, String>> rest =
                    Clients.pollUntil(consumer, (int) (RECORDS - committedRecords), CLUSTER_TIMEOUT);
            assertThat(rest).hasSize((int) (RECORDS - committedRecords));
            assertThat(rest).allSatisfy(record -> assertThat(record.offset())
                    .isGreaterThanOrEqualTo(committed.getOrDefault(
                            new TopicPartition(record.topic(), record.partition()), 0L)));
        }
    }

    @Test
    void aTransactionalIdIsServedByAnotherBrokerWhenItsCoordinatorDies() throws Exception {
        String transactionalId = "failover-writer";
        KafkaProducer<String, String> first = Clients.producer(cluster.bootstrapServers(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId));
        first.initTransactions();
        first.beginTransaction();
        sendToEveryPartition(first, "committed-before");
        first.commitTransaction();
        first.beginTransaction();
        sendToEveryPartition(first, "open-at-the-kill");
        first.flush();

        int coordinator;
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            coordinator = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get()
                    .coordinatorId();
        }
        kill(coordinator);
        first.close(Duration.ZERO);
        String survivors = bootstrapOf(cluster.nodes().stream().filter(n -> n != killed).toList());

        try (KafkaProducer<String, String> second = Clients.producer(survivors, Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId))) {
            second.initTransactions(); // finds the new coordinator, which aborts the open transaction
            second.beginTransaction();
            sendToEveryPartition(second, "committed-after");
            second.commitTransaction();
        }
        try (Admin admin = Clients.admin(survivors)) {
            assertThat(admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get()
                    .coordinatorId()).isNotEqualTo(coordinator);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(survivors,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TXN_TOPIC, p)).toList());
            consumer.seekToBeginning(consumer.assignment());
            List<String> values = new ArrayList<>();
            await("both committed transactions read").atMost(CLUSTER_TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                return values.stream().filter(v -> v.startsWith("committed-after")).count() == PARTITIONS;
            });
            assertThat(values).filteredOn(v -> v.startsWith("committed-")).hasSize(2 * PARTITIONS);
            assertThat(values).noneMatch(v -> v.startsWith("open-at-the-kill"));
        }
    }

    private static void sendToEveryPartition(KafkaProducer<String, String> producer, String prefix) {
        for (int p = 0; p < PARTITIONS; p++) {
            producer.send(new ProducerRecord<>(TXN_TOPIC, p, "k", prefix + "-" + p));
        }
    }

    private static KafkaConsumer<String, String> groupConsumer(String servers, String group,
                                                               Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return Clients.consumer(servers, settings);
    }

    private static void kill(int nodeId) {
        killed = cluster.node(nodeId);
        killed.kill();
    }

    private static String bootstrapOf(List<GregorProcess> processes) {
        return processes.stream().map(GregorProcess::bootstrapServers).collect(Collectors.joining(","));
    }
}
