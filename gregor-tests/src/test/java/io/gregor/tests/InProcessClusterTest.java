package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The testkit's in-process cluster: three nodes in this JVM that behave as three processes do. */
class InProcessClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tempDir;

    private static GregorCluster cluster;

    @BeforeAll
    static void start() {
        cluster = GregorCluster.start(tempDir, 3, Map.of("broker.heartbeat.interval.ms", "500"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNodeStoppedInTheClusterHandsItsLeadershipsToTheOthers() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers(1))) {
            await("three brokers").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> ids(admin.describeCluster().nodes().get()).equals(Set.of(1, 2, 3)));
            admin.createTopics(List.of(new NewTopic("in-process", 6, (short) 3))).all().get();
            await("leaders on every node").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> leaders(admin).equals(Set.of(1, 2, 3)));

            cluster.stopNode(2);

            await("node 2 gone and leading nothing").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> ids(admin.describeCluster().nodes().get()).equals(Set.of(1, 3))
                            && leaders(admin).equals(Set.of(1, 3)));
            TopicDescription topic = admin.describeTopics(List.of("in-process")).allTopicNames().get().get("in-process");
            assertThat(topic.partitions()).allSatisfy(p ->
                    assertThat(p.isr()).extracting(Node::id).doesNotContain(2));
        }
    }

    private static Set<Integer> leaders(Admin admin) throws Exception {
        TopicDescription topic = admin.describeTopics(List.of("in-process")).allTopicNames().get().get("in-process");
        return topic.partitions().stream().map(p -> p.leader().id()).collect(Collectors.toSet());
    }

    private static Set<Integer> ids(Collection<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toSet());
    }
}
