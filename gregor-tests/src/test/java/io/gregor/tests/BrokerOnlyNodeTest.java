package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker-only node (process.roles=broker) next to a controller: it follows the metadata log
 * without voting, registers, takes replicas and leaderships, passes topic creation on to the
 * controller, and is fenced when it dies.
 */
class BrokerOnlyNodeTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.cluster(dir, 1, 1, Map.of(
            "broker.session.timeout.ms", "4000",
            "broker.heartbeat.interval.ms", "500")));

    @Test
    void theBrokerOnlyNodeJoinsTakesLeadershipsAndIsFencedWhenItDies() throws Exception {
        GregorProcess controller = cluster.node(1);
        GregorProcess brokerOnly = cluster.node(2);
        try (Admin admin = Clients.admin(brokerOnly.bootstrapServers())) {
            assertThat(cluster.brokerIds()).isEqualTo(Set.of(1, 2));
            cluster.awaitBrokersRegistered(admin);
            assertThat(admin.describeCluster().controller().get().id()).isEqualTo(1);
            // The node registers with the controller (above) and joins the Raft configuration as a
            // listener on its own schedule: the quorum lists it as an observer once both happened.
            await("the broker-only node an observer of the quorum").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
                QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get();
                assertThat(quorum.leaderId()).isEqualTo(1);
                assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactly(1);
                assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactly(2);
            });

            admin.createTopics(List.of(new NewTopic("both", 4, (short) 2))).all().get();
            await("the topic seen by the broker-only node with leaders on both").atMost(CLUSTER_TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> leaders(admin, "both").equals(Set.of(1, 2)));
        }

        brokerOnly.kill();
        try (Admin admin = Clients.admin(controller.bootstrapServers())) {
            await("the dead broker fenced and its leaderships moved").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> ids(admin.describeCluster().nodes().get()).equals(Set.of(1))
                            && leaders(admin, "both").equals(Set.of(1)));

            // Gone for good: the operator unregisters it, and the quorum stops sending it the log.
            admin.unregisterBroker(2).all().get();
            assertThat(ids(admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true))
                    .nodes().get())).containsExactly(1);
            await("node 2 no longer an observer of the quorum").atMost(CLUSTER_TIMEOUT).untilAsserted(() ->
                    assertThat(admin.describeMetadataQuorum().quorumInfo().get().observers()).isEmpty());
        }
    }

    private static Set<Integer> leaders(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        return description.partitions().stream().map(TopicPartitionInfo::leader)
                .map(Node::id).collect(Collectors.toSet());
    }

    private static Set<Integer> ids(Collection<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toSet());
    }
}
