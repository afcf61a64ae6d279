package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.TopicImage;
import io.gregor.metadata.quorum.NotControllerException;
import io.gregor.metadata.quorum.RaftMetadataLog;
import io.gregor.metadata.quorum.RaftTestCluster;
import io.gregor.metadata.record.BrokerEndpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three controllers, each on its own {@link RaftMetadataLog}: the leader's decisions reach every image. */
class RaftQuorumControllerTest {
    private static final Duration COMMIT = Duration.ofSeconds(10);
    private static final BrokerRegistration BROKER = new BrokerRegistration(1,
            List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9092)), Optional.empty());

    @TempDir
    Path root;

    private RaftTestCluster cluster;
    private final Map<Integer, RaftMetadataLog> logs = new LinkedHashMap<>();
    private final Map<Integer, QuorumController> controllers = new LinkedHashMap<>();

    @AfterEach
    void closeControllers() {
        RaftTestCluster.closeAll(controllers.values());
    }

    @Test
    void topicCreatedOnTheLeaderAppearsInEveryNodesImage() {
        startCluster(10_000);
        int leader = leader();
        QuorumController active = controllers.get(leader);
        active.registerBroker(BROKER).join();

        CreateTopicResult created = active.createTopics(List.of(CreatableTopic.of("orders", 3, (short) 1)), false)
                .join().get(0);

        assertThat(created.error()).isEqualTo(ApiError.NONE);
        UUID id = created.topicId().orElseThrow();
        assertThat(active.image().topic("orders").map(TopicImage::id)).contains(id);
        for (QuorumController controller : controllers.values()) {
            await().atMost(COMMIT).untilAsserted(() -> {
                assertThat(controller.image().topic("orders").map(TopicImage::partitionCount)).contains(3);
                assertThat(controller.image()).isEqualTo(active.image());
            });
        }
    }

    @Test
    void followerControllerAnswersNotController() {
        startCluster(10_000);
        int leader = leader();
        QuorumController follower = controllers.entrySet().stream().filter(e -> e.getKey() != leader)
                .findFirst().orElseThrow().getValue();

        assertThatThrownBy(() -> follower.registerBroker(BROKER).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(NotControllerException.class);
    }

    @Test
    void restartedControllerLoadsSnapshotAndLogToTheLeadersImage() throws IOException {
        startCluster(2);
        int leader = leader();
        QuorumController active = controllers.get(leader);
        active.registerBroker(BROKER).join();
        for (int i = 0; i < 5; i++) {
            active.createTopics(List.of(CreatableTopic.of("topic-" + i, 2, (short) 1)), false).join();
        }
        active.deleteTopics(List.of(TopicReference.byName("topic-1"))).join();
        int restarted = controllers.keySet().stream().filter(id -> id != leader).findFirst().orElseThrow();
        await().atMost(COMMIT).untilAsserted(() ->
                assertThat(controllers.get(restarted).image()).isEqualTo(active.image()));
        controllers.remove(restarted).close();

        QuorumController again = startController(restarted);

        await().atMost(COMMIT).untilAsserted(() -> assertThat(again.image()).isEqualTo(active.image()));
        assertThat(again.image().topicsByName()).containsOnlyKeys("topic-0", "topic-2", "topic-3", "topic-4");
        assertThat(again.image().nextOffset()).isEqualTo(active.image().nextOffset()).isGreaterThan(10);
    }

    private void startCluster(long snapshotEveryEntries) {
        cluster = new RaftTestCluster(root, 3, snapshotEveryEntries);
        cluster.nodeIds().forEach(this::startController);
    }

    private QuorumController startController(int nodeId) {
        RaftMetadataLog log = new RaftMetadataLog(cluster.settings(nodeId));
        QuorumController controller = new QuorumController(RaftTestCluster.CLUSTER_ID, log,
                TestConfigSchema.settings());
        logs.put(nodeId, log);
        controllers.put(nodeId, controller);
        controller.start().join();
        return controller;
    }

    private int leader() {
        RaftMetadataLog leader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));
        return logs.entrySet().stream().filter(e -> e.getValue() == leader).findFirst().orElseThrow().getKey();
    }
}
