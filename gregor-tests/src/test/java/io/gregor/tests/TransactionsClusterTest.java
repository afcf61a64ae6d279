package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transactions in a three-node cluster, where a transaction's coordinator, its data partitions
 * and the group's offsets partition are led by different brokers: the coordinator writes its
 * markers to the other leaders (WriteTxnMarkers), and the leaders ask the coordinator before
 * appending a transaction-V2 producer's batches (AddPartitionsToTxn v5).
 */
class TransactionsClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = "cluster-txn";
    private static final int PARTITIONS = 6;

    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.cluster(dir, 3, Map.of(
            "broker.heartbeat.interval.ms", "500",
            "offsets.topic.num.partitions", "3",
            "transaction.state.log.num.partitions", "3",
            "transaction.state.log.replication.factor", "3")));

    @BeforeAll
    static void createTopics() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            cluster.awaitBrokersRegistered(admin);
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1),
                    new NewTopic("cluster-txn-input", 1, (short) 1))).all().get();
            await("leaders on every broker").atMost(CLUSTER_TIMEOUT).ignoreExceptions().until(() -> {
                TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
                Set<Integer> leaders = new HashSet<>();
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.leader() == null) {
                        return false;
                    }
                    leaders.add(partition.leader().id());
                }
                return leaders.size() == 3;
            });
        }
    }

    @Test
    void transactionsSpanningBrokersCommitAndAbortWithTheirOffsets() throws Exception {
        TopicPartition input = new TopicPartition("cluster-txn-input", 0);
        int committed = 0;
        // Several transactional ids, so that their coordinators are on different brokers.
        for (int writer = 0; writer < 3; writer++) {
            String group = "cluster-group-" + writer;
            try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cluster-writer-" + writer))) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, "k", "kept-" + writer + "-" + p));
                }
                producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(10 + writer)),
                        new ConsumerGroupMetadata(group));
                producer.commitTransaction();
                committed += PARTITIONS;

                producer.beginTransaction();
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, "k", "dropped-" + writer + "-" + p));
                }
                producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(99)),
                        new ConsumerGroupMetadata(group));
                producer.flush();
                producer.abortTransaction();
            }
            try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
                assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(input)
                        .offset()).isEqualTo(10 + writer);
            }
        }

        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList());
            List<String> values = Clients.pollUntil(consumer, committed, Duration.ofSeconds(60)).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(values).hasSize(committed).allMatch(value -> value.startsWith("kept-"));
            // Every partition's last stable offset reaches its high watermark: no transaction is
            // left open by a marker that did not arrive.
            try (KafkaConsumer<String, String> uncommitted = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
                await("last stable offsets at the high watermarks").atMost(CLUSTER_TIMEOUT).until(() ->
                        consumer.endOffsets(consumer.assignment()).equals(
                                uncommitted.endOffsets(consumer.assignment())));
            }
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            consumer.assign(IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList());
            assertThat(Clients.pollUntil(consumer, 2 * committed, Duration.ofSeconds(60))).hasSize(2 * committed);
        }
        // The coordinators' state was written to three replicas, two of which had to have it.
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, "__transaction_state");
            assertThat(admin.describeConfigs(List.of(state)).all().get().get(state).get("min.insync.replicas").value())
                    .as("Kafka's default transaction.state.log.min.isr").isEqualTo("2");
            assertThat(admin.describeTopics(List.of("__transaction_state")).allTopicNames().get()
                    .get("__transaction_state").partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        }
    }
}
