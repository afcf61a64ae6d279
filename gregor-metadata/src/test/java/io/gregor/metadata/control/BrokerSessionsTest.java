package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.quorum.CommittedBatchListener;
import io.gregor.metadata.quorum.LocalMetadataLog;
import io.gregor.metadata.quorum.MetadataLog;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller's broker sessions: heartbeats, fencing on silence, unfencing, controlled shutdown. */
class BrokerSessionsTest {
    @TempDir
    Path logDir;

    private QuorumController controller;

    @BeforeEach
    void startWithTwoBrokersAndATopic() {
        controller = new QuorumController("cluster", new LocalMetadataLog(logDir), TestConfigSchema.settings());
        controller.start().join();
        controller.registerBroker(broker(1)).join();
        controller.registerBroker(broker(2)).join();
        controller.createTopics(List.of(CreatableTopic.of("t", 4, (short) 2)), false).join();
    }

    @AfterEach
    void close() throws IOException {
        controller.close();
    }

    @Test
    void aBrokerWithoutHeartbeatsIsFencedAndItsLeadershipsMoveWhileTheOtherStays() {
        // A session long against the heartbeat poll below, so that a loaded machine does not fence 1.
        controller.startBrokerSessions(2_000, 0);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            controller.brokerHeartbeat(1, false).join();
            return controller.image().broker(2).orElseThrow().fenced();
        });

        assertThat(controller.image().broker(1).orElseThrow().fenced()).isFalse();
        assertThat(partitions()).allSatisfy(p -> {
            assertThat(p.leader()).isEqualTo(1);
            assertThat(p.isr()).containsExactly(1);
        });

        QuorumController.HeartbeatResult back = controller.brokerHeartbeat(2, false).join();
        assertThat(back.fenced()).isFalse();
        assertThat(controller.image().unfencedBrokers().keySet()).containsExactly(1, 2);
    }

    @Test
    void controlledShutdownMovesLeadershipsAwayBeforeTheBrokerIsToldToStop() {
        QuorumController.HeartbeatResult result = controller.brokerHeartbeat(1, true).join();

        assertThat(result.shouldShutDown()).isTrue();
        assertThat(controller.image().broker(1).orElseThrow().fenced()).isTrue();
        assertThat(partitions()).allSatisfy(p -> assertThat(p.leader()).isEqualTo(2));
    }

    @Test
    void preferredElectionAndAlterPartitionGoThroughTheController() {
        controller.brokerHeartbeat(1, true).join();
        controller.brokerHeartbeat(1, false).join();
        PartitionImage p0 = controller.image().topic("t").orElseThrow().partition(0).orElseThrow();
        assertThat(p0.replicas().get(0)).isEqualTo(1);
        assertThat(p0.leader()).isEqualTo(2);

        UUID id = controller.image().topic("t").orElseThrow().id();
        PartitionImage grown = controller.alterPartition(id, 0, 2, p0.leaderEpoch(), p0.partitionEpoch(), List.of(2, 1))
                .join();
        assertThat(grown.isr()).containsExactly(2, 1);
        assertThatThrownBy(() -> controller.alterPartition(id, 0, 2, p0.leaderEpoch(), p0.partitionEpoch(),
                List.of(2)).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e.getCause()).error()).isEqualTo(Errors.INVALID_UPDATE_VERSION));

        Map<TopicPartition, ApiError> answers = controller.electPreferredLeaders(
                Set.of(new TopicPartition("t", 0), new TopicPartition("t", 1))).join();
        assertThat(answers.get(new TopicPartition("t", 0))).isEqualTo(ApiError.NONE);
        assertThat(controller.image().topic("t").orElseThrow().partition(0).orElseThrow().leader()).isEqualTo(1);
    }

    @Test
    void theLeaderImbalanceCheckGivesLeadershipsBackToPreferredReplicasInSync() {
        controller.brokerHeartbeat(1, true).join();
        controller.brokerHeartbeat(1, false).join();
        UUID id = controller.image().topic("t").orElseThrow().id();
        for (PartitionImage p : partitions()) {
            if (p.replicas().get(0) == 1) {
                controller.alterPartition(id, p.partition(), p.leader(), p.leaderEpoch(), p.partitionEpoch(),
                        List.of(2, 1)).join();
            }
        }
        assertThat(partitions()).allSatisfy(p -> assertThat(p.leader()).isEqualTo(2));

        controller.startBrokerSessions(60_000, 200);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(partitions())
                .allSatisfy(p -> assertThat(p.leader()).isEqualTo(p.replicas().get(0))));
    }

    @Test
    void aFencedBrokerCanBeUnregisteredAndComesBackByRegisteringAgain() {
        assertThatThrownBy(() -> controller.unregisterBroker(1).join())
                .hasCauseInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e.getCause()).error()).isEqualTo(Errors.INVALID_REQUEST));

        controller.brokerHeartbeat(2, true).join();
        controller.unregisterBroker(2).join();

        assertThat(controller.image().brokers().keySet()).containsExactly(1);
        assertThat(partitions()).allSatisfy(p -> {
            assertThat(p.replicas()).contains(2);
            assertThat(p.offlineReplicas(controller.image().unfencedBrokers().keySet())).containsExactly(2);
        });
        assertThatThrownBy(() -> controller.brokerHeartbeat(2, false).join())
                .hasCauseInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e.getCause()).error()).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED));
        controller.registerBroker(broker(2)).join();
        assertThat(controller.image().unfencedBrokers().keySet()).containsExactly(1, 2);
    }

    @Test
    void heartbeatOfAnUnknownBrokerIsRefused() {
        assertThatThrownBy(() -> controller.brokerHeartbeat(9, false).join())
                .hasCauseInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e.getCause()).error()).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED));
    }

    private Collection<PartitionImage> partitions() {
        return controller.image().topic("t").orElseThrow().partitions().values();
    }

    @Test
    void aHeartbeatFromAProcessAnotherRegisteredOverIsAStaleBrokerEpoch() {
        long first = controller.registerBroker(new BrokerRegistration(1, broker(1).endpoints(), Optional.empty(),
                new UUID(7, 7), false)).join();
        assertThat(controller.brokerHeartbeat(1, first, false).join().fenced()).isFalse();

        // Another process with node id 1 registers: the first one's heartbeats are now refused.
        long second = controller.registerBroker(new BrokerRegistration(1, List.of(new BrokerEndpoint("PLAINTEXT",
                "elsewhere", 9999)), Optional.empty(), new UUID(8, 8), false)).join();
        assertThat(second).isGreaterThan(first);
        assertThatThrownBy(() -> controller.brokerHeartbeat(1, first, false).join())
                .hasCauseInstanceOf(ApiException.class)
                .cause().satisfies(e -> assertThat(((ApiException) e).error()).isEqualTo(Errors.STALE_BROKER_EPOCH));
        assertThat(controller.brokerHeartbeat(1, second, false).join().fenced()).isFalse();
    }

    @Test
    void aControllerActiveAgainInALaterTermTakesTheBrokerEpochItHearsFirst(@TempDir Path otherLogDir)
            throws IOException {
        TermedLog log = new TermedLog(new LocalMetadataLog(otherLogDir));
        try (QuorumController again = new QuorumController("cluster", log, TestConfigSchema.settings())) {
            again.start().join();
            long registeredHere = again.registerBroker(broker(1)).join();

            // Another controller was active meanwhile, and the broker restarted and registered with it.
            log.term = 2;
            long registeredElsewhere = registeredHere + 5;
            assertThat(again.brokerHeartbeat(1, registeredElsewhere, false).join().fenced()).isFalse();
            assertThatThrownBy(() -> again.brokerHeartbeat(1, registeredHere, false).join())
                    .cause().satisfies(e -> assertThat(((ApiException) e).error()).isEqualTo(Errors.STALE_BROKER_EPOCH));
        }
    }

    /** A single node's log whose Raft term the test moves, as leadership coming back in a new term would. */
    private static final class TermedLog implements MetadataLog {
        private final LocalMetadataLog log;
        volatile long term = 1;

        TermedLog(LocalMetadataLog log) {
            this.log = log;
        }

        @Override
        public void start(CommittedBatchListener listener) throws IOException {
            log.start(listener);
        }

        @Override
        public CompletableFuture<Long> append(List<MetadataRecord> records) {
            return log.append(records);
        }

        @Override
        public long leaderEpoch() {
            return term;
        }

        @Override
        public void close() throws IOException {
            log.close();
        }
    }

    private static BrokerRegistration broker(int id) {
        return new BrokerRegistration(id, List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9090 + id)),
                Optional.empty(), new UUID(id, id), false);
    }
}
