package io.gregor.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.RemoveTopicRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.protocol.error.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftMetadataLogTest {
    private static final Duration COMMIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private RaftTestCluster cluster;
    private Consumer<RaftProperties> tuning = properties -> { };
    private final Map<Integer, RaftMetadataLog> logs = new LinkedHashMap<>();
    private final Map<Integer, RecordingListener> listeners = new LinkedHashMap<>();
    private final Map<Integer, List<OptionalInt>> leaderChanges = new LinkedHashMap<>();

    @AfterEach
    void closeLogs() {
        RaftTestCluster.closeAll(logs.values());
    }

    @Test
    void batchAppendedOnTheLeaderReachesEveryNodeInOrderWithTheSameOffsets() throws Exception {
        startCluster(RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        RaftMetadataLog leader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));

        long first = leader.append(topic("a", 1)).get(10, TimeUnit.SECONDS);
        long second = leader.append(List.of(new TopicRecord("b", new UUID(2, 2)),
                new ConfigRecord(ConfigResource.topic("b"), "retention.ms", Optional.of("1")))).get(10, TimeUnit.SECONDS);
        long third = leader.append(topic("c", 3)).get(10, TimeUnit.SECONDS);

        assertThat(List.of(first, second, third)).containsExactly(0L, 1L, 3L);
        List<MetadataBatch> expected = List.of(new MetadataBatch(0, topic("a", 1)),
                new MetadataBatch(1, List.of(new TopicRecord("b", new UUID(2, 2)),
                        new ConfigRecord(ConfigResource.topic("b"), "retention.ms", Optional.of("1")))),
                new MetadataBatch(3, topic("c", 3)));
        for (RecordingListener listener : listeners.values()) {
            await().atMost(COMMIT).untilAsserted(() -> assertThat(listener.batches()).isEqualTo(expected));
        }
    }

    @Test
    void theLeaderKnowsHowFarEachFollowerIsInMetadataOffsets() throws Exception {
        startCluster(RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        RaftMetadataLog leader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));
        long before = System.currentTimeMillis();
        leader.append(topic("a", 1)).get(10, TimeUnit.SECONDS);
        leader.append(List.of(new TopicRecord("b", new UUID(2, 2)),
                new ConfigRecord(ConfigResource.topic("b"), "retention.ms", Optional.of("1")))).get(10, TimeUnit.SECONDS);

        List<Integer> followers = logs.keySet().stream().filter(id -> id != idOf(leader)).toList();
        // the followers learn the commit with the leader's next message, and the leader with their reply
        await().atMost(COMMIT).untilAsserted(() -> assertThat(leader.replicaProgress())
                .containsOnlyKeys(followers)
                .allSatisfy((id, progress) -> {
                    assertThat(progress.logEndOffset()).isEqualTo(3);
                    assertThat(progress.lastFetchTimestamp()).isBetween(before, System.currentTimeMillis());
                }));
        RaftMetadataLog follower = logs.get(followers.get(0));
        assertThat(follower.replicaProgress()).as("only the leader knows").isEmpty();
    }

    @Test
    void appendOnAFollowerFailsWithNotControllerNamingTheLeader() throws Exception {
        startCluster(RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        RaftMetadataLog leader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));
        int leaderId = idOf(leader);
        RaftMetadataLog follower = logs.values().stream().filter(log -> log != leader).findFirst().orElseThrow();
        await().atMost(COMMIT).until(() -> follower.leaderId().equals(OptionalInt.of(leaderId)));

        assertThatThrownBy(() -> follower.append(topic("a", 1)).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(NotControllerException.class, e -> {
                    assertThat(e.error()).isEqualTo(Errors.NOT_CONTROLLER);
                    assertThat(e.leaderId()).hasValue(leaderId);
                });
        assertThat(follower.isLeader()).isFalse();
    }

    @Test
    void controllerRequestsReachTheLeadersHandlerAndFollowersRefuseThem() throws Exception {
        startCluster(RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        for (Map.Entry<Integer, RaftMetadataLog> node : logs.entrySet()) {
            int id = node.getKey();
            node.getValue().serveControllerRequests(request -> CompletableFuture.completedFuture(
                    ByteBuffer.wrap(("node " + id + " got " + StandardCharsets.UTF_8.decode(request))
                            .getBytes(StandardCharsets.UTF_8))));
        }
        RaftMetadataLog leader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));
        int leaderId = idOf(leader);
        RaftMetadataLog follower = logs.values().stream().filter(log -> log != leader).findFirst().orElseThrow();
        int followerId = idOf(follower);
        await().atMost(COMMIT).until(() -> follower.leaderId().equals(OptionalInt.of(leaderId)));

        ByteBuffer answer = follower.sendToController(leaderId,
                ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), 10_000).get(10, TimeUnit.SECONDS);
        assertThat(StandardCharsets.UTF_8.decode(answer).toString()).isEqualTo("node " + leaderId + " got hello");

        RaftMetadataLog third = logs.values().stream().filter(log -> log != leader && log != follower)
                .findFirst().orElseThrow();
        assertThatThrownBy(() -> third.sendToController(followerId, ByteBuffer.wrap(new byte[] {1}), 10_000).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(NotControllerException.class);
    }

    @Test
    void whenTheLeaderStopsANewOneIsElectedAndAppendsContinue() throws Exception {
        startCluster(RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        RaftMetadataLog oldLeader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));
        assertThat(oldLeader.append(topic("a", 1)).get(10, TimeUnit.SECONDS)).isZero();

        int oldLeaderId = idOf(oldLeader);
        oldLeader.close();
        logs.remove(oldLeaderId);
        listeners.remove(oldLeaderId);
        RaftMetadataLog newLeader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));
        int newLeaderId = idOf(newLeader);

        assertThat(newLeaderId).isNotEqualTo(oldLeaderId);
        assertThat(newLeader.append(topic("b", 2)).get(10, TimeUnit.SECONDS)).isEqualTo(1L);
        for (int id : logs.keySet()) {
            await().atMost(COMMIT).untilAsserted(() -> {
                assertThat(listeners.get(id).batches())
                        .containsExactly(new MetadataBatch(0, topic("a", 1)), new MetadataBatch(1, topic("b", 2)));
                assertThat(leaderChanges.get(id)).containsSubsequence(OptionalInt.of(oldLeaderId),
                        OptionalInt.of(newLeaderId));
                assertThat(logs.get(id).leaderId()).hasValue(newLeaderId);
            });
        }
    }

    @Test
    void restartedNodeReplaysSnapshotAndLogToTheSameState() throws Exception {
        startCluster(3);
        RaftMetadataLog leader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));
        for (int i = 0; i < 8; i++) {
            leader.append(topic("t" + i, i)).get(10, TimeUnit.SECONDS);
        }
        leader.append(List.of(new RemoveTopicRecord(new UUID(3, 3)))).get(10, TimeUnit.SECONDS);
        int restarted = logs.keySet().stream().filter(id -> logs.get(id) != leader).findFirst().orElseThrow();
        await().atMost(COMMIT).untilAsserted(() -> assertThat(listeners.get(restarted).image())
                .isEqualTo(listeners.get(idOf(leader)).image()));
        logs.remove(restarted).close();
        try (var files = Files.walk(cluster.settings(restarted).raftDirectory())) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).anyMatch(name -> name.startsWith("snapshot."));
        }

        RecordingListener replayed = new RecordingListener();
        RaftMetadataLog again = new RaftMetadataLog(cluster.settings(restarted));
        logs.put(restarted, again);
        again.start(replayed);

        // The snapshot is loaded during start; entries after it may still come from the leader.
        assertThat(replayed.snapshots()).isNotEmpty();
        await().atMost(COMMIT).untilAsserted(() ->
                assertThat(replayed.image()).isEqualTo(listeners.get(idOf(leader)).image()));
        assertThat(replayed.image().nextOffset()).isEqualTo(9);
        assertThat(replayed.image().topicsByName()).hasSize(7).doesNotContainKey("t3");
    }

    @Test
    void followerThatMissedPurgedEntriesIsSentTheLeadersSnapshot() throws Exception {
        tuning = properties -> {
            RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("16KB"));
            RaftServerConfigKeys.Log.setWriteBufferSize(properties, SizeInBytes.valueOf("16KB"));
            RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, SizeInBytes.valueOf("8KB"));
            RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
            RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        };
        startCluster(4);
        RaftMetadataLog leader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));
        int behind = logs.keySet().stream().filter(id -> logs.get(id) != leader).findFirst().orElseThrow();
        logs.remove(behind).close();
        for (int i = 0; i < 60; i++) {
            leader.append(List.of(new TopicRecord("t" + i, new UUID(i, i)), new ConfigRecord(ConfigResource.topic("t" + i),
                    "padding", Optional.of("x".repeat(1000))))).get(10, TimeUnit.SECONDS);
        }

        RecordingListener caughtUp = new RecordingListener();
        RaftMetadataLog again = new RaftMetadataLog(cluster.settings(behind), tuning);
        logs.put(behind, again);
        again.start(caughtUp);

        // The leader reconnects to the restarted node after gRPC's reconnect backoff: seconds.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(caughtUp.image()).isEqualTo(listeners.get(idOf(leader)).image()));
        assertThat(caughtUp.snapshots()).isNotEmpty();
        assertThat(caughtUp.image().nextOffset()).isEqualTo(120);
    }

    @Test
    void batchContradictingTheImageIsRejectedOnEveryNodeAndNotCounted() throws Exception {
        startCluster(RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        RaftMetadataLog leader = RaftTestCluster.awaitLeader(List.copyOf(logs.values()));
        leader.append(topic("a", 1)).get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> leader.append(topic("a", 9)).join())
                .cause().isInstanceOf(MetadataQuorumException.class).hasMessageContaining("already in use");
        assertThat(leader.append(topic("b", 2)).get(10, TimeUnit.SECONDS)).isEqualTo(1L);
        for (RecordingListener listener : listeners.values()) {
            await().atMost(COMMIT).untilAsserted(() -> assertThat(listener.batches())
                    .containsExactly(new MetadataBatch(0, topic("a", 1)), new MetadataBatch(1, topic("b", 2))));
        }
    }

    @Test
    void nodeRefusesTheRaftDirectoryOfAnotherCluster() throws Exception {
        cluster = new RaftTestCluster(root, 1, RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        RaftQuorumSettings ours = cluster.settings(1);
        try (RaftMetadataLog log = new RaftMetadataLog(ours)) {
            log.start(new RecordingListener());
        }
        RaftQuorumSettings otherCluster = new RaftQuorumSettings(1, "another-cluster", ours.voters(),
                ours.firstLogDir(), ours.snapshotEveryEntries());

        try (RaftMetadataLog log = new RaftMetadataLog(otherCluster)) {
            assertThatThrownBy(() -> log.start(new RecordingListener()))
                    .isInstanceOf(InconsistentMetaPropertiesException.class)
                    .hasMessageContaining("belongs to another cluster")
                    .hasMessageContaining("another-cluster");
        }
    }

    @Test
    void nodeWithASingleNodeMetadataLogRefusesToJoinAQuorum() throws Exception {
        cluster = new RaftTestCluster(root, 1, RaftQuorumSettings.DEFAULT_SNAPSHOT_EVERY_ENTRIES);
        try (LocalMetadataLog local = new LocalMetadataLog(cluster.settings(1).firstLogDir())) {
            local.start(batch -> { });
        }

        try (RaftMetadataLog log = new RaftMetadataLog(cluster.settings(1))) {
            assertThatThrownBy(() -> log.start(new RecordingListener()))
                    .isInstanceOf(InconsistentMetaPropertiesException.class)
                    .hasMessageContaining("single-node metadata log");
        }
    }

    private void startCluster(long snapshotEveryEntries) throws IOException {
        cluster = new RaftTestCluster(root, 3, snapshotEveryEntries);
        for (int id : cluster.nodeIds()) {
            RaftMetadataLog log = new RaftMetadataLog(cluster.settings(id), tuning);
            RecordingListener listener = new RecordingListener();
            List<OptionalInt> changes = new CopyOnWriteArrayList<>();
            log.addLeaderChangeListener(changes::add);
            logs.put(id, log);
            listeners.put(id, listener);
            leaderChanges.put(id, changes);
            log.start(listener);
        }
    }

    private int idOf(RaftMetadataLog log) {
        return logs.entrySet().stream().filter(e -> e.getValue() == log).findFirst().orElseThrow().getKey();
    }

    private static List<MetadataRecord> topic(String name, long id) {
        return new ArrayList<>(List.of(new TopicRecord(name, new UUID(id, id))));
    }
}
