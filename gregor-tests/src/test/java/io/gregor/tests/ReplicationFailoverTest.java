package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Partition data replication across three Gregor processes (replication factor 3,
 * min.insync.replicas=2), with real kafka-clients: an idempotent acks=all producer keeps writing
 * while each partition's leader in turn is SIGKILLed and restarted, and a consumer reads all the
 * while; afterwards every acknowledged record is in its partition exactly once and in order, and
 * every record the consumer saw is still there at the offset it saw it. A follower stopped with
 * SIGSTOP leaves the ISR and comes back once it has caught up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationFailoverTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "replicated";
    private static final int PARTITIONS = 3;
    /** A bound on the writer: it stops long before this unless the test stalls. */
    private static final int MAX_RECORDS = 500_000;

    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.cluster(dir, 3, Map.of(
            "broker.session.timeout.ms", "6000",
            "broker.heartbeat.interval.ms", "500",
            "replica.lag.time.max.ms", "2000",
            "auto.leader.rebalance.enable", "false",
            "offsets.topic.num.partitions", "3")));

    @BeforeAll
    static void createTopic() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            cluster.awaitBrokersRegistered(admin);
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
            await("every partition led, all replicas in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> partitions(admin).stream().allMatch(p -> p.leader() != null && p.isr().size() == 3));
        }
    }

    @Test
    @Order(1)
    void acknowledgedRecordsSurviveTheLeaderOfEachPartitionBeingKilledInTurn() throws Exception {
        Map<Integer, List<String>> acknowledged = new ConcurrentHashMap<>();
        Map<TopicPartition, Map<Long, String>> seen = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> write(acknowledged, stop, writerFailure), "acks-all-writer");
        Thread reader = new Thread(() -> read(seen, stop), "concurrent-reader");
        writer.start();
        reader.start();

        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                awaitAcknowledgedGrowth(acknowledged, partition);
                int leader = leaderOf(admin, partition);
                GregorProcess victim = cluster.node(leader);
                victim.kill();
                int p = partition;
                await("partition " + p + " led by another broker than " + leader).atMost(CLUSTER_TIMEOUT)
                        .ignoreExceptions()
                        .until(() -> leaderOf(admin, p) != leader);
                awaitAcknowledgedGrowth(acknowledged, partition);
                victim.start();
                await("broker " + leader + " back in every ISR").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                        .until(() -> partitions(admin).stream().allMatch(i -> i.isr().size() == 3));
            }
        }
        for (int partition = 0; partition < PARTITIONS; partition++) {
            awaitAcknowledgedGrowth(acknowledged, partition);
        }
        stop.set(true);
        writer.join(120_000);
        reader.join(60_000);
        assertThat(writerFailure.get()).as("the writer's failure").isNull();

        Map<Integer, List<ConsumerRecord<String, String>>> stored = readEverything();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            List<String> values = stored.get(partition).stream().map(ConsumerRecord::value).toList();
            List<String> acked = acknowledged.getOrDefault(partition, List.of());
            assertThat(acked).as("acknowledged in partition %d", partition).isNotEmpty();
            assertThat(new LinkedHashSet<>(values)).as("no record twice in partition %d", partition)
                    .hasSameSizeAs(values);
            assertThat(values).as("every acknowledged record of partition %d, in order", partition)
                    .containsSubsequence(acked);
            Map<Long, String> byOffset = new HashMap<>();
            stored.get(partition).forEach(r -> byOffset.put(r.offset(), r.value()));
            Map<Long, String> read = seen.getOrDefault(new TopicPartition(TOPIC, partition), Map.of());
            assertThat(read).as("records a consumer read in partition %d", partition).isNotEmpty();
            assertThat(byOffset).as("nothing a consumer read in partition %d was lost", partition)
                    .containsAllEntriesOf(read);
        }
    }

    @Test
    @Order(2)
    void aPausedFollowerLeavesTheIsrAndRejoinsAfterCatchingUp() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers());
             KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                     Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            int controller = admin.describeCluster().controller().get().id();
            TopicPartitionInfo partition = partitions(admin).stream()
                    .filter(p -> p.leader().id() != controller).findFirst().orElseThrow();
            int follower = partition.replicas().stream().map(Node::id)
                    .filter(id -> id != controller && id != partition.leader().id()).findFirst().orElseThrow();
            GregorProcess paused = cluster.node(follower);
            GregorProcess leader = cluster.node(partition.leader().id());

            paused.pause();
            try {
                // acks=all waits for the paused follower until it is dropped from the ISR, then succeeds.
                producer.send(new ProducerRecord<>(TOPIC, partition.partition(), "k", "while-paused")).get();
                // Asked of the leader itself (an admin client might pick the paused node), whose metadata
                // learns of the committed ISR change a moment after the controller answered it.
                await("follower " + follower + " out of the ISR").atMost(CLUSTER_TIMEOUT)
                        .until(() -> !isrSeenBy(leader, partition.partition()).contains(follower));
            } finally {
                paused.resume();
            }
            await("follower " + follower + " back in the ISR").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> isrOf(admin, partition.partition()).contains(follower));
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).contains(follower);
        }
    }

    /** Writes "<partition>-<n>" to each partition in turn, recording what was acknowledged, in order. */
    private static void write(Map<Integer, List<String>> acknowledged, AtomicBoolean stop,
                              AtomicReference<Throwable> failure) {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.METADATA_MAX_AGE_CONFIG, 1_000))) {
            for (int n = 0; n < MAX_RECORDS && !stop.get(); n++) {
                int partition = n % PARTITIONS;
                String value = partition + "-" + n;
                producer.send(new ProducerRecord<>(TOPIC, partition, "k", value), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.computeIfAbsent(partition, p -> Collections.synchronizedList(new ArrayList<>()))
                                .add(value);
                    } else {
                        failure.compareAndSet(null, error);
                    }
                });
                if (n % 30 == 29) {
                    producer.flush(); // a steady trickle, not a flood the machine cannot keep up with
                }
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Reads the partitions as they grow, remembering the value at each offset. */
    private static void read(Map<TopicPartition, Map<Long, String>> seen, AtomicBoolean stop) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            consumer.assign(topicPartitions());
            while (!stop.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.computeIfAbsent(new TopicPartition(TOPIC, record.partition()), tp -> new ConcurrentHashMap<>())
                            .put(record.offset(), record.value());
                }
            }
        }
    }

    private static Map<Integer, List<ConsumerRecord<String, String>>> readEverything() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            consumer.assign(topicPartitions());
            Map<TopicPartition, Long> ends = consumer.endOffsets(topicPartitions());
            Map<Integer, List<ConsumerRecord<String, String>>> records = new HashMap<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                records.put(partition, new ArrayList<>());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && ends.entrySet().stream()
                    .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> records.get(r.partition()).add(r));
            }
            return records;
        }
    }

    private static void awaitAcknowledgedGrowth(Map<Integer, List<String>> acknowledged, int partition) {
        int before = acknowledged.getOrDefault(partition, List.of()).size();
        await("more acknowledged records in partition " + partition).atMost(CLUSTER_TIMEOUT)
                .until(() -> acknowledged.getOrDefault(partition, List.of()).size() >= before + 100);
    }

    private static List<TopicPartition> topicPartitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            partitions.add(new TopicPartition(TOPIC, partition));
        }
        return partitions;
    }

    private static List<TopicPartitionInfo> partitions(Admin admin) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
        return description.partitions();
    }

    private static int leaderOf(Admin admin, int partition) throws Exception {
        Node leader = partitions(admin).get(partition).leader();
        return leader == null ? -1 : leader.id();
    }

    private static Set<Integer> isrSeenBy(GregorProcess node, int partition) throws Exception {
        try (RawConnection connection = new RawConnection(node.bootstrapServers())) {
            MetadataResponse metadata = (MetadataResponse) connection.send(
                    new MetadataRequest.Builder(List.of(TOPIC), false).build((short) 12));
            return metadata.topicMetadata().stream()
                    .filter(t -> t.topic().equals(TOPIC))
                    .flatMap(t -> t.partitionMetadata().stream())
                    .filter(p -> p.partition() == partition)
                    .flatMap(p -> p.inSyncReplicaIds.stream())
                    .collect(Collectors.toSet());
        }
    }

    private static Set<Integer> isrOf(Admin admin, int partition) throws Exception {
        return partitions(admin).get(partition).isr().stream().map(Node::id).collect(Collectors.toSet());
    }
}
