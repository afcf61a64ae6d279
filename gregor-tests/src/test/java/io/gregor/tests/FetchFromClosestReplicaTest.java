package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fetch from the closest replica (KIP-392) on three Gregor processes in racks r1, r2 and r3 with
 * {@code replica.selector.class=org.apache.kafka.common.replica.RackAwareReplicaSelector}: a
 * consumer with {@code client.rack=r2} reads partitions led by r1 and r3 from their follower in r2,
 * as its own metrics show (the preferred read replica of each partition, and the bytes it
 * received from each broker); when that broker is SIGKILLed it carries on from the leaders and
 * reads every record exactly once. kcat with {@code client.rack=r2} reads from r2 as well.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FetchFromClosestReplicaTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "nearby";
    private static final int RECORDS_PER_PARTITION = 1_000;
    /** Large enough that the record bytes dwarf metadata and the leaders' redirections. */
    private static final String PADDING = "x".repeat(200);
    /** Node 2 (rack r2) follows both partitions and leads neither. */
    private static final Map<Integer, List<Integer>> ASSIGNMENT = Map.of(0, List.of(1, 2, 3), 1, List.of(3, 2, 1));
    private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition(TOPIC, 0),
            new TopicPartition(TOPIC, 1));

    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.cluster(dir, 3, Map.of(
                    "replica.selector.class", "org.apache.kafka.common.replica.RackAwareReplicaSelector",
                    "broker.session.timeout.ms", "4000",
                    "broker.heartbeat.interval.ms", "500",
                    "auto.leader.rebalance.enable", "false",
                    "offsets.topic.num.partitions", "3"),
            id -> Map.of("broker.rack", "r" + id)));

    @BeforeAll
    static void createTopic() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            cluster.awaitBrokersRegistered(admin);
            admin.createTopics(List.of(new NewTopic(TOPIC, ASSIGNMENT)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get();
        }
    }

    /** librdkafka (kcat) implements KIP-392 too. */
    @Test
    @Order(1)
    void kcatWithAClientRackReadsFromTheFollowerInItsRack() throws Exception {
        String topic = "nearby-kcat";
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 2, 3))))).all().get();
            await("every replica in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions().until(() ->
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0)
                            .isr().size() == 3);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "kcat-" + i));
            }
            producer.flush();
        }
        List<String> command = List.of("kcat", "-b", cluster.bootstrapServers(), "-m", "20", "-C", "-t", topic,
                "-o", "beginning",
                "-e", "-X", "client.rack=r2", "-d", "fetch,topic", "-f", "%s\\n");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        assertThat(output.lines().filter(line -> line.startsWith("kcat-")))
                .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "kcat-" + i).toList());
        // librdkafka's debug log: the leader (broker 1) named broker 2 the preferred replica, and
        // every record came from broker 2.
        assertThat(output).contains("migrating from broker 1 to 2 (leader is 1): preferred replica updated");
        assertThat(output.lines().filter(line -> line.contains(": Enqueue ")))
                .isNotEmpty().allSatisfy(line -> assertThat(line).contains("/2: Enqueue "));
    }

    @Test
    @Order(2)
    void aConsumerReadsFromTheFollowerInItsRackAndFromTheLeadersOnceThatFollowerDies() throws Exception {
        produce(0);
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("both partitions led by r1 and r3, every replica in sync").atMost(CLUSTER_TIMEOUT)
                    .ignoreExceptions().until(() -> describe(admin).partitions().stream().allMatch(p ->
                            p.leader().id() == ASSIGNMENT.get(p.partition()).get(0) && p.isr().size() == 3));
        }
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of(
                ConsumerConfig.CLIENT_RACK_CONFIG, "r2",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200))) {
            consumer.assign(PARTITIONS);
            read.addAll(Clients.pollUntil(consumer, 2 * RECORDS_PER_PARTITION, CLUSTER_TIMEOUT));

            assertThat(read).hasSize(2 * RECORDS_PER_PARTITION);
            assertThat(PARTITIONS).allSatisfy(tp -> assertThat(preferredReadReplica(consumer, tp))
                    .as("the preferred read replica of %s", tp).isEqualTo(2));
            long recordBytes = valueBytes(read);
            assertThat(bytesFrom(consumer, 2)).as("bytes received from the broker in r2").isGreaterThan(recordBytes);
            assertThat(bytesFrom(consumer, 1)).as("bytes received from the leader in r1").isLessThan(recordBytes / 10);
            assertThat(bytesFrom(consumer, 3)).as("bytes received from the leader in r3").isLessThan(recordBytes / 10);

            cluster.node(2).kill();
            produce(RECORDS_PER_PARTITION);
            double fromLeadersBefore = bytesFrom(consumer, 1) + bytesFrom(consumer, 3);
            List<ConsumerRecord<String, String>> rest =
                    Clients.pollUntil(consumer, 2 * RECORDS_PER_PARTITION, CLUSTER_TIMEOUT);
            read.addAll(rest);

            assertThat(rest).hasSize(2 * RECORDS_PER_PARTITION);
            assertThat(PARTITIONS).allSatisfy(tp -> assertThat(preferredReadReplica(consumer, tp))
                    .as("%s is read from its leader", tp).isEqualTo(-1));
            assertThat(bytesFrom(consumer, 1) + bytesFrom(consumer, 3) - fromLeadersBefore)
                    .as("bytes received from the leaders after the kill").isGreaterThan(valueBytes(rest));
        }
        for (TopicPartition tp : PARTITIONS) {
            List<ConsumerRecord<String, String>> ofPartition = read.stream()
                    .filter(r -> r.partition() == tp.partition()).toList();
            assertThat(ofPartition).extracting(ConsumerRecord::offset)
                    .as("every offset of %s once, in order", tp)
                    .containsExactlyElementsOf(IntStream.range(0, 2 * RECORDS_PER_PARTITION)
                            .mapToObj(Long::valueOf).toList());
            assertThat(ofPartition).extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(IntStream.range(0, 2 * RECORDS_PER_PARTITION)
                            .mapToObj(i -> value(tp.partition(), i)).toList());
        }
    }

    /** Writes records {@code from} to {@code from + RECORDS_PER_PARTITION - 1} to each partition, acks=all. */
    private static void produce(int from) {
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
            for (int i = from; i < from + RECORDS_PER_PARTITION; i++) {
                for (TopicPartition tp : PARTITIONS) {
                    producer.send(new ProducerRecord<>(TOPIC, tp.partition(), null, value(tp.partition(), i)));
                }
            }
            producer.flush();
        }
    }

    private static String value(int partition, int index) {
        return partition + "-" + index + "-" + PADDING;
    }

    private static long valueBytes(List<ConsumerRecord<String, String>> records) {
        return records.stream().mapToLong(ConsumerRecord::serializedValueSize).sum();
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
    }

    /** The consumer's preferred-read-replica gauge of a partition: -1 while it reads from the leader. */
    private static int preferredReadReplica(KafkaConsumer<?, ?> consumer, TopicPartition tp) {
        return consumer.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("consumer-fetch-manager-metrics")
                        && e.getKey().name().equals("preferred-read-replica")
                        && tp.topic().equals(e.getKey().tags().get("topic"))
                        && Integer.toString(tp.partition()).equals(e.getKey().tags().get("partition")))
                .map(e -> ((Number) e.getValue().metricValue()).intValue())
                .findFirst().orElseThrow();
    }

    /** The consumer's incoming-byte-total from one broker. */
    private static double bytesFrom(KafkaConsumer<?, ?> consumer, int nodeId) {
        String node = "node-" + nodeId;
        return consumer.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("consumer-node-metrics")
                        && e.getKey().name().equals("incoming-byte-total")
                        && node.equals(e.getKey().tags().get("node-id")))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }
}
