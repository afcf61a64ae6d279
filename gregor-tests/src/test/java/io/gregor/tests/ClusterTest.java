package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.MetadataResponse.PartitionMetadata;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three Gregor nodes, each broker and controller, in their own processes, form a cluster over a
 * Raft metadata quorum: topics created through any of them are seen by all, the active controller
 * can be SIGKILLed and another takes over, a dead broker is fenced and loses its leaderships, and
 * what was acknowledged with acks=all before is still read from the survivors.
 * The tests run in order against the one cluster of the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final int SESSION_TIMEOUT_MS = 4_000;
    private static final int ACKNOWLEDGED = 300;

    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.cluster(dir, 3, Map.of(
            "broker.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS),
            "broker.heartbeat.interval.ms", "500",
            "num.partitions", "1",
            "offsets.topic.num.partitions", "3")));
    private static final Set<Integer> killed = new HashSet<>();

    @Test
    @Order(1)
    void threeNodesRegisterAndAgreeOnOneActiveController() throws Exception {
        for (GregorProcess node : cluster.nodes()) {
            await("every broker registered, seen from " + node.bootstrapServers()).atMost(CLUSTER_TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> {
                        MetadataResponse metadata = metadata(node, List.of());
                        return metadata.brokers().size() == 3 && metadata.controller() != null;
                    });
        }
        Set<Integer> controllers = new HashSet<>();
        for (GregorProcess node : cluster.nodes()) {
            controllers.add(metadata(node, List.of()).controller().id());
        }
        assertThat(controllers).hasSize(1);
        try (Admin admin = Clients.admin(cluster.node(1).bootstrapServers())) {
            DescribeClusterResult described = admin.describeCluster();
            assertThat(described.nodes().get()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(described.controller().get().id()).isIn(controllers);
        }
    }

    @Test
    @Order(2)
    void aTopicCreatedThroughABrokerThatIsNotTheControllerIsSeenByEveryBrokerWithLeadersSpread() throws Exception {
        int controller = activeController();
        GregorProcess other = cluster.nodes().stream().filter(n -> nodeId(n) != controller).findFirst().orElseThrow();

        try (RawConnection connection = new RawConnection(other.bootstrapServers())) {
            CreateTopicsResponse created = (CreateTopicsResponse) connection.send(createTopics("spread", 6, (short) 3));
            assertThat(created.data().topics().find("spread").errorCode()).isEqualTo(Errors.NONE.code());
        }

        for (GregorProcess node : cluster.nodes()) {
            await("topic spread in the metadata of " + node.bootstrapServers()).atMost(CLUSTER_TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> partitions(node, "spread").size() == 6);
            List<PartitionMetadata> partitions = partitions(node, "spread");
            for (PartitionMetadata partition : partitions) {
                assertThat(partition.error).isEqualTo(Errors.NONE);
                assertThat(partition.replicaIds).containsExactlyInAnyOrder(1, 2, 3);
                assertThat(partition.inSyncReplicaIds).containsExactlyInAnyOrder(1, 2, 3);
                assertThat(partition.leaderId).isPresent();
            }
            Map<Integer, Long> leaders = partitions.stream()
                    .collect(Collectors.groupingBy(p -> p.leaderId.orElseThrow(), Collectors.counting()));
            assertThat(leaders).containsOnlyKeys(1, 2, 3).allSatisfy((broker, count) -> assertThat(count).isEqualTo(2));
        }

        // Acknowledged by every in-sync replica, so they survive the loss of any one node (test 5).
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < ACKNOWLEDGED; i++) {
                producer.send(new ProducerRecord<>("spread", i % 6, "k" + i, "v" + i)).get();
            }
        }
    }

    @Test
    @Order(3)
    void topicsAreAutoCreatedThroughAnyBroker() {
        for (GregorProcess node : cluster.nodes()) {
            String topic = "auto-" + nodeId(node);
            await("auto-creation of " + topic).atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> {
                        try (RawConnection connection = new RawConnection(node.bootstrapServers())) {
                            MetadataResponse response = (MetadataResponse) connection.send(
                                    new MetadataRequest.Builder(List.of(topic), true).build((short) 12));
                            return response.topicMetadata().stream()
                                    .anyMatch(t -> t.topic().equals(topic) && t.error() == Errors.NONE);
                        }
                    });
        }
    }

    @Test
    @Order(4)
    void metadataChangesSentToANodeThatIsNotTheControllerAreForwardedToIt() throws Exception {
        int controller = activeController();
        GregorProcess other = cluster.nodes().stream().filter(n -> nodeId(n) != controller).findFirst().orElseThrow();
        try (RawConnection connection = new RawConnection(other.bootstrapServers())) {
            CreatePartitionsRequestData.CreatePartitionsTopicCollection grow =
                    new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
            grow.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("auto-1").setCount(3)
                    .setAssignments(null));
            CreatePartitionsResponse grown = (CreatePartitionsResponse) connection.send(new CreatePartitionsRequest
                    .Builder(new CreatePartitionsRequestData().setTopics(grow).setTimeoutMs(30_000)).build((short) 3));
            assertThat(grown.data().results()).singleElement()
                    .satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.NONE.code()));

            DeleteTopicsResponse deleted = (DeleteTopicsResponse) connection.send(new DeleteTopicsRequest.Builder(
                    new DeleteTopicsRequestData().setTopicNames(List.of("auto-2")).setTimeoutMs(30_000))
                    .build((short) 5));
            assertThat(deleted.data().responses().find("auto-2").errorCode()).isEqualTo(Errors.NONE.code());
        }
        try (Admin admin = Clients.admin(other.bootstrapServers())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "auto-3");
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET)))).all().get();
        }
        for (GregorProcess node : cluster.nodes()) {
            await("the changes seen from " + node.bootstrapServers()).atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> partitions(node, "auto-1").size() == 3 && partitions(node, "auto-2").isEmpty());
        }
        try (Admin admin = Clients.admin(cluster.node(3).bootstrapServers())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "auto-3");
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value())
                    .isEqualTo("3600000");
        }
    }

    @Test
    @Order(5)
    void whenTheActiveControllerIsKilledAnotherTakesOverAndItsLeadershipsMove() throws Exception {
        int oldController = activeController();
        GregorProcess victim = cluster.node(oldController);
        victim.kill();
        killed.add(oldController);
        List<GregorProcess> survivors = cluster.nodes().stream().filter(n -> !killed.contains(nodeId(n))).toList();

        for (GregorProcess survivor : survivors) {
            await("a new active controller, seen from " + survivor.bootstrapServers()).atMost(CLUSTER_TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> {
                        Node controller = metadata(survivor, List.of()).controller();
                        return controller != null && controller.id() != oldController;
                    });
        }
        await("the killed node fenced: gone from the brokers in Metadata").atMost(CLUSTER_TIMEOUT)
                .ignoreExceptions()
                .until(() -> survivors.stream().allMatch(n -> brokerIds(n).equals(nodeIds(survivors))));
        for (GregorProcess survivor : survivors) {
            await("leaderships of node " + oldController + " moved, its replicas offline, seen from "
                    + survivor.bootstrapServers())
                    .atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> partitions(survivor, "spread").stream().allMatch(p ->
                            p.leaderId.isPresent() && nodeIds(survivors).contains(p.leaderId.get())
                                    && !p.inSyncReplicaIds.contains(oldController)
                                    && p.offlineReplicaIds.equals(p.replicaIds.contains(oldController)
                                            ? List.of(oldController) : List.of())));
        }

        String survivorsBootstrap = survivors.stream().map(GregorProcess::bootstrapServers)
                .collect(Collectors.joining(","));
        try (KafkaConsumer<String, String> consumer = Clients.consumer(survivorsBootstrap, Map.of())) {
            consumer.assign(IntStream.range(0, 6).mapToObj(p -> new TopicPartition("spread", p)).toList());
            List<ConsumerRecord<String, String>> read = Clients.pollUntil(consumer, ACKNOWLEDGED, CLUSTER_TIMEOUT);
            assertThat(read).as("records acknowledged with acks=all before the kill").hasSize(ACKNOWLEDGED);
        }

        try (Admin admin = Clients.admin(survivors.get(0).bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("after-failover", 4, (short) 2))).all().get();
            await("after-failover has leaders").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> partitions(survivors.get(1), "after-failover").stream()
                            .allMatch(p -> p.leaderId.isPresent()));
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::id)
                    .containsExactlyInAnyOrderElementsOf(nodeIds(survivors));
        }
        for (GregorProcess survivor : survivors) {
            for (GregorProcess live : survivors) {
                assertThat(survivor.log()).as("live broker %d wrongly fenced", nodeId(live))
                        .doesNotContain("Fencing broker " + nodeId(live) + ":");
            }
        }
    }

    @Test
    @Order(6)
    void theKilledNodeRestartsRejoinsTheIsrAndPreferredElectionGivesItsLeadershipsBack() throws Exception {
        int restartedId = killed.iterator().next();
        GregorProcess restarted = cluster.node(restartedId);
        restarted.start();
        killed.clear();

        for (GregorProcess node : cluster.nodes()) {
            await("node " + restartedId + " back in the metadata of " + node.bootstrapServers())
                    .atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> brokerIds(node).equals(Set.of(1, 2, 3)));
        }
        // It catches up as a follower, and its leaders take it back into their ISRs.
        await("node " + restartedId + " in sync again").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> partitions(restarted, "spread").stream()
                        .allMatch(p -> p.inSyncReplicaIds.size() == 3));
        Set<TopicPartition> spread = new HashSet<>();
        for (int p = 0; p < 6; p++) {
            spread.add(new TopicPartition("spread", p));
        }
        GregorProcess notController = cluster.nodes().stream().filter(n -> nodeId(n) != activeController()).findFirst()
                .orElseThrow();
        try (Admin admin = Clients.admin(notController.bootstrapServers())) {
            Map<TopicPartition, Optional<Throwable>> answers =
                    admin.electLeaders(ElectionType.PREFERRED, spread).partitions().get();
            assertThat(answers).hasSize(6);
            for (PartitionMetadata partition : partitions(notController, "spread")) {
                Optional<Throwable> answer = answers.get(partition.topicPartition);
                if (partition.replicaIds.get(0) == restartedId) {
                    assertThat(answer).as("preferred election of %s", partition.topicPartition).isEmpty();
                } else {
                    assertThat(answer).get().isInstanceOf(ElectionNotNeededException.class);
                }
            }
        }
        for (GregorProcess node : cluster.nodes()) {
            await("every partition led by its preferred replica, seen from " + node.bootstrapServers())
                    .atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> partitions(node, "spread").stream()
                            .allMatch(p -> p.leaderId.orElse(-1).equals(p.replicaIds.get(0))));
        }
    }

    @Test
    @Order(7)
    void aNodeStoppedWithSigtermHandsItsLeadershipsOverBeforeItExits() {
        GregorProcess leaving = cluster.nodes().stream()
                .filter(n -> partitions(n, "after-failover").stream().anyMatch(p -> p.leaderId.orElse(-1) == nodeId(n)))
                .findFirst().orElseThrow();
        int leavingId = nodeId(leaving);

        assertThat(leaving.stop()).isZero();
        killed.add(leavingId);

        assertThat(leaving.log()).contains("controlled shutdown agreed");
        List<GregorProcess> others = cluster.nodes().stream().filter(n -> n != leaving).toList();
        for (GregorProcess other : others) {
            await("no partition led by node " + leavingId + ", seen from " + other.bootstrapServers())
                    .atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> partitions(other, "after-failover").stream()
                            .allMatch(p -> p.leaderId.isPresent() && p.leaderId.get() != leavingId));
        }
        // Handed over by the controlled shutdown, not taken away when its session expired.
        for (GregorProcess other : others) {
            assertThat(other.log()).doesNotContain("Fencing broker " + leavingId + ":");
        }
    }

    private static CreateTopicsRequest createTopics(String name, int partitions, short replicationFactor) {
        CreatableTopicCollection topics = new CreatableTopicCollection();
        topics.add(new CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor(replicationFactor));
        return new CreateTopicsRequest.Builder(new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(30_000))
                .build((short) 7);
    }

    private static int activeController() {
        GregorProcess live = cluster.nodes().stream().filter(n -> !killed.contains(nodeId(n))).findFirst()
                .orElseThrow();
        await("an active controller").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> metadata(live, List.of()).controller() != null);
        return metadata(live, List.of()).controller().id();
    }

    private static MetadataResponse metadata(GregorProcess node, List<String> topics) {
        try (RawConnection connection = new RawConnection(node.bootstrapServers())) {
            return (MetadataResponse) connection.send(new MetadataRequest.Builder(topics, false).build((short) 12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<PartitionMetadata> partitions(GregorProcess node, String topic) {
        List<PartitionMetadata> partitions = new ArrayList<>();
        metadata(node, List.of(topic)).topicMetadata().stream()
                .filter(t -> t.topic().equals(topic) && t.error() == Errors.NONE)
                .forEach(t -> partitions.addAll(t.partitionMetadata()));
        return partitions;
    }

    private static Set<Integer> brokerIds(GregorProcess node) {
        return metadata(node, List.of()).brokers().stream().map(Node::id).collect(Collectors.toSet());
    }

    private static Set<Integer> nodeIds(Collection<GregorProcess> processes) {
        return processes.stream().map(ClusterTest::nodeId).collect(Collectors.toSet());
    }

    private static int nodeId(GregorProcess node) {
        return cluster.nodes().indexOf(node) + 1;
    }
}
