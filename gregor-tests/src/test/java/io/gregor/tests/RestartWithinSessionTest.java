package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.MetadataResponse.PartitionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A partition leader SIGKILLed and restarted at once, well within its broker session (so the
 * controller never fenced it): its new incarnation registers, and the controller moves the
 * leadership to another in-sync replica at a new leader epoch, as Kafka does for a broker that
 * comes back with a new incarnation. Its data survives, and it follows the new leader.
 */
class RestartWithinSessionTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final int RECORDS = 100;

    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.cluster(dir, 3, Map.of(
            // Long enough that the restart below comes back before the session ends.
            "broker.session.timeout.ms", "30000",
            "broker.heartbeat.interval.ms", "500",
            "offsets.topic.num.partitions", "3")));

    @Test
    void aLeaderRestartedWithinItsSessionLosesItsLeadershipAtANewLeaderEpoch() throws Exception {
        try (Admin admin = Clients.admin(cluster.node(1).bootstrapServers())) {
            cluster.awaitBrokersRegistered(admin);
            admin.createTopics(List.of(new NewTopic("restarted", 1, (short) 3))).all().get();
        }
        await("restarted-0 with a leader and three in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> partition(cluster.node(1)).leaderId.isPresent()
                        && partition(cluster.node(1)).inSyncReplicaIds.size() == 3);
        List<String> sent = produce("before");
        PartitionMetadata before = partition(cluster.node(1));
        int oldLeader = before.leaderId.orElseThrow();
        int oldEpoch = before.leaderEpoch.orElseThrow();

        GregorProcess leader = cluster.node(oldLeader);
        leader.kill();
        leader.start();

        GregorProcess other = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
        await("the leadership moved at a new epoch").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .untilAsserted(() -> {
                    PartitionMetadata after = partition(other);
                    assertThat(after.leaderId).isPresent().get().isNotEqualTo(oldLeader);
                    assertThat(after.leaderEpoch).isPresent().get().isEqualTo(oldEpoch + 1);
                });
        assertThat(other.log()).as("the restart came back within the session").doesNotContain("Fencing broker");
        await("the restarted broker back in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> partition(other).inSyncReplicaIds.contains(oldLeader));

        sent.addAll(produce("after"));
        try (KafkaConsumer<String, String> consumer = Clients.consumer(leader.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(new TopicPartition("restarted", 0)));
            assertThat(Clients.pollUntil(consumer, sent.size(), CLUSTER_TIMEOUT).stream().map(ConsumerRecord::value))
                    .containsExactlyElementsOf(sent);
        }
    }

    private static List<String> produce(String prefix) throws Exception {
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                values.add(prefix + "-" + i);
                acks.add(producer.send(new ProducerRecord<>("restarted", prefix + "-" + i)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
        return values;
    }

    private static PartitionMetadata partition(GregorProcess node) {
        try (RawConnection connection = new RawConnection(node.bootstrapServers())) {
            MetadataResponse metadata = (MetadataResponse) connection.send(
                    new MetadataRequest.Builder(List.of("restarted"), false).build((short) 12));
            return metadata.topicMetadata().stream()
                    .filter(t -> t.topic().equals("restarted") && t.error() == Errors.NONE)
                    .flatMap(t -> t.partitionMetadata().stream())
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
