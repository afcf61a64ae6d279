package io.gregor.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.TopicRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that follows the metadata log without voting (a broker-only node), as a Ratis listener. */
class RaftObserverTest {
    private static final Duration COMMIT = Duration.ofSeconds(20);

    @TempDir
    Path root;

    private final List<RaftMetadataLog> logs = new ArrayList<>();

    @AfterEach
    void close() {
        RaftTestCluster.closeAll(logs);
    }

    @Test
    void anObserverReceivesEveryCommittedBatchKnowsTheLeaderAndCannotAppend() throws Exception {
        RaftTestCluster cluster = new RaftTestCluster(root, 1, RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        RaftMetadataLog voter = new RaftMetadataLog(cluster.settings(1));
        RecordingListener voterListener = new RecordingListener();
        voter.start(voterListener);
        logs.add(voter);
        RaftTestCluster.awaitLeader(List.of(voter));
        assertThat(voter.append(topic("before", 1)).get(10, TimeUnit.SECONDS)).isZero();

        RaftQuorumSettings observerSettings = RaftQuorumSettings.observer(7, RaftTestCluster.CLUSTER_ID,
                cluster.settings(1).voters(), root.resolve("observer"), "127.0.0.1", freePort());
        RaftMetadataLog observer = new RaftMetadataLog(observerSettings);
        RecordingListener observerListener = new RecordingListener();
        observer.start(observerListener);
        logs.add(observer);
        assertThat(voter.append(topic("after", 2)).get(10, TimeUnit.SECONDS)).isEqualTo(1L);

        await().atMost(COMMIT).untilAsserted(() -> assertThat(observerListener.batches())
                .containsExactly(new MetadataBatch(0, topic("before", 1)), new MetadataBatch(1, topic("after", 2))));
        await().atMost(COMMIT).until(() -> observer.leaderId().equals(OptionalInt.of(1)));
        assertThat(voter.observerIds()).containsExactly(7);
        assertThat(observer.isLeader()).isFalse();
        assertThatThrownBy(() -> observer.append(topic("refused", 3)).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(NotControllerException.class);
        assertThat(voter.isLeader()).as("one voter is still a majority: the observer does not count").isTrue();

        voter.removeObserver(7).get(20, TimeUnit.SECONDS);
        assertThat(voter.observerIds()).isEmpty();
        assertThat(voter.append(topic("without-observer", 4)).get(10, TimeUnit.SECONDS)).isEqualTo(2L);
    }

    @Test
    void observersJoiningTogetherAllReceiveTheLog() throws Exception {
        RaftTestCluster cluster = new RaftTestCluster(root, 1, RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        RaftMetadataLog voter = new RaftMetadataLog(cluster.settings(1));
        voter.start(new RecordingListener());
        logs.add(voter);
        RaftTestCluster.awaitLeader(List.of(voter));

        List<RecordingListener> observed = new ArrayList<>();
        for (int id = 7; id <= 9; id++) {
            RaftMetadataLog observer = new RaftMetadataLog(RaftQuorumSettings.observer(id, RaftTestCluster.CLUSTER_ID,
                    cluster.settings(1).voters(), root.resolve("observer-" + id), "127.0.0.1", freePort()));
            RecordingListener listener = new RecordingListener();
            observer.start(listener);
            logs.add(observer);
            observed.add(listener);
        }
        await().atMost(COMMIT).untilAsserted(() -> assertThat(voter.observerIds()).containsExactly(7, 8, 9));
        assertThat(voter.append(topic("for-all", 1)).get(10, TimeUnit.SECONDS)).isZero();

        for (RecordingListener listener : observed) {
            await().atMost(COMMIT).untilAsserted(() -> assertThat(listener.batches())
                    .containsExactly(new MetadataBatch(0, topic("for-all", 1))));
        }
    }

    @Test
    void anObserverMustNotBeAVoter() {
        RaftTestCluster cluster = new RaftTestCluster(root, 2, RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        assertThatThrownBy(() -> RaftQuorumSettings.observer(1, RaftTestCluster.CLUSTER_ID, cluster.settings(1).voters(),
                root, "127.0.0.1", 1234)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node.id=1 is among the voters");
    }

    private static List<MetadataRecord> topic(String name, long id) {
        return List.of(new TopicRecord(name, new UUID(id, id)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
