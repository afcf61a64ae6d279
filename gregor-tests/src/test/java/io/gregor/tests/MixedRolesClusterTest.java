package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.metadata.quorum.RaftMetadataLog;
import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mixed layout, each node its own process: node 1 controller-only, nodes 2 and 3 broker and
 * controller, node 4 broker-only. The voters are 1, 2 and 3; the brokers 2, 3 and 4. The cluster
 * works whichever kind of node is the active controller: the test hands the leadership to the
 * controller-only node, then to a combined one (with Ratis' leadership transfer, since Kafka has no
 * API for it), and each time creates, changes and deletes topics through the brokers and produces
 * and consumes. The tests run in order against the one cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MixedRolesClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<Integer> BROKERS = Set.of(2, 3, 4);
    private static final int RECORDS = 100;

    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.clusterWithRoles(dir,
            List.of("controller", "broker,controller", "broker,controller", "broker"),
            Map.of("broker.session.timeout.ms", "6000",
                    "broker.heartbeat.interval.ms", "500",
                    "offsets.topic.num.partitions", "3")));

    @Test
    @Order(1)
    void theBrokersAreTheBrokerNodesAndTheVotersTheControllerNodes() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            assertThat(cluster.brokerIds()).isEqualTo(BROKERS);
            cluster.awaitBrokersRegistered(admin);
            await("voters 1-3, observer 4").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
                QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get();
                assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId)
                        .containsExactlyInAnyOrder(1, 2, 3);
                assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactly(4);
            });
        }
    }

    @Test
    @Order(2)
    void withTheControllerOnlyNodeActiveTheBrokersChangeMetadataAndServeClients() throws Exception {
        makeActiveController(1);
        exerciseTheCluster("under-1");
    }

    @Test
    @Order(3)
    void withACombinedNodeActiveTheBrokersChangeMetadataAndServeClients() throws Exception {
        makeActiveController(2);
        exerciseTheCluster("under-2");
    }

    /**
     * Through the brokers: a topic of replication factor 3 created, its config changed, records
     * produced with acks=all and consumed, and a second topic created and deleted.
     */
    private static void exerciseTheCluster(String topic) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3),
                    new NewTopic(topic + "-doomed", 1, (short) 2))).all().get();
            await(topic + " led by brokers with all replicas in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .untilAsserted(() -> assertThat(partitions(admin, topic)).allSatisfy(p -> {
                        assertThat(p.leader().id()).isIn(BROKERS);
                        assertThat(ids(p.isr())).isEqualTo(BROKERS);
                    }));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("min.insync.replicas", "2"), AlterConfigOp.OpType.SET)))).all().get();
            admin.deleteTopics(List.of(topic + "-doomed")).all().get();
            await("the config change and the deletion seen").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                                .get("min.insync.replicas").value()).isEqualTo("2");
                        assertThat(admin.listTopics().names().get()).contains(topic)
                                .doesNotContain(topic + "-doomed");
                    });
            assertThat(admin.describeCluster().controller().get().id()).isIn(BROKERS);
        }
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                sent.add(topic + "-" + i);
                acks.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i), topic + "-" + i)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            consumer.assign(IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).toList());
            assertThat(Clients.pollUntil(consumer, RECORDS, CLUSTER_TIMEOUT).stream().map(ConsumerRecord::value))
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    /** Hands the Raft leadership, and so the active controller, to node {@code id}. */
    private static void makeActiveController(int id) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            String clusterId = admin.describeCluster().clusterId().get();
            await("node " + id + " the active controller").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .untilAsserted(() -> {
                        if (admin.describeMetadataQuorum().quorumInfo().get().leaderId() != id) {
                            transferLeadership(clusterId, id);
                        }
                        assertThat(admin.describeMetadataQuorum().quorumInfo().get().leaderId()).isEqualTo(id);
                    });
        }
    }

    private static void transferLeadership(String clusterId, int id) throws IOException {
        List<RaftPeer> voters = new ArrayList<>();
        for (String voter : cluster.node(1).setting("controller.quorum.voters").orElseThrow().split(",")) {
            String[] idAndAddress = voter.split("@");
            voters.add(RaftPeer.newBuilder().setId(idAndAddress[0]).setAddress(idAndAddress[1]).build());
        }
        try (RaftClient client = RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(RaftMetadataLog.groupId(clusterId), voters))
                .setProperties(new RaftProperties())
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
                        TimeDuration.valueOf(500, TimeUnit.MILLISECONDS)))
                .build()) {
            RaftClientReply reply = client.admin().transferLeadership(RaftPeerId.valueOf(Integer.toString(id)), 10_000);
            assertThat(reply.isSuccess()).as("leadership transfer to %d: %s", id, reply.getException()).isTrue();
        }
    }

    private static List<TopicPartitionInfo> partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
    }

    private static Set<Integer> ids(Collection<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toSet());
    }
}
