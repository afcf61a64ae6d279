package io.gregor.broker.api.cluster;

import static io.gregor.broker.api.admin.MetadataFixture.context;
import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gregor.broker.api.admin.MetadataFixture;
import io.gregor.metadata.control.ConfigSchema;
import io.gregor.metadata.control.ControllerSettings;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quorum.CommittedBatchListener;
import io.gregor.metadata.quorum.LocalMetadataLog;
import io.gregor.metadata.quorum.MetadataLog;
import io.gregor.metadata.quorum.QuorumVoter;
import io.gregor.metadata.quorum.ReplicaProgress;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeQuorumRequest;
import io.gregor.protocol.message.DescribeQuorumResponse;
import io.gregor.protocol.message.DescribeQuorumResponse.ReplicaState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeQuorumHandlerTest {
    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir.resolve("single"));
        fixture.controller().createTopics(List.of(CreatableTopic.of("a", 2, (short) 1)), false).join();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aSingleNodeIsTheOnlyVoterAndTheLeaderAtEveryVersion() {
        long applied = fixture.controller().image().nextOffset();
        DescribeQuorumHandler handler = new DescribeQuorumHandler(fixture.controller(), 1, List.of(), "");
        for (int version = 0; version <= 2; version++) {
            DescribeQuorumResponse.PartitionData quorum = partition(describe(handler, version, "__cluster_metadata"));

            assertThat(quorum.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(quorum.leaderId()).isEqualTo(1);
            assertThat(quorum.leaderEpoch()).isZero();
            assertThat(quorum.highWatermark()).isEqualTo(applied).isPositive();
            assertThat(quorum.currentVoters()).singleElement().satisfies(voter -> {
                assertThat(voter.replicaId()).isEqualTo(1);
                assertThat(voter.logEndOffset()).isEqualTo(applied);
            });
            assertThat(quorum.observers()).isEmpty();
        }
    }

    @Test
    void theLeaderOfAClusterReportsHowFarEachVoterIs() throws Exception {
        LeaderLog log = new LeaderLog(new LocalMetadataLog(dataDir.resolve("leader")));
        try (QuorumController leader = new QuorumController("test-cluster-id", log, new ControllerSettings(1,
                (short) 1, new ConfigSchema(MetadataFixture.TOPIC_CONFIGS, MetadataFixture.DYNAMIC_BROKER_CONFIGS)))) {
            leader.start().join();
            leader.createTopics(List.of(CreatableTopic.of("a", 2, (short) 1)), false).join();
            long applied = leader.image().nextOffset();
            long heard = System.currentTimeMillis() - 100;
            // node 2 has everything, node 3 is one record behind, the leader knows nothing of node 4
            log.progress = Map.of(2, new ReplicaProgress(applied, heard), 3, new ReplicaProgress(applied - 1, heard));
            DescribeQuorumHandler handler = new DescribeQuorumHandler(leader, 1, List.of(new QuorumVoter(1, "c1", 9093),
                    new QuorumVoter(2, "c2", 9093), new QuorumVoter(3, "c3", 9093), new QuorumVoter(4, "c4", 9093)),
                    "CONTROLLER");

            DescribeQuorumResponse.PartitionData quorum = partition(describe(handler, 2, "__cluster_metadata"));

            assertThat(quorum.leaderId()).isEqualTo(1);
            assertThat(quorum.leaderEpoch()).isEqualTo(4);
            assertThat(quorum.highWatermark()).isEqualTo(applied);
            ReplicaState self = quorum.currentVoters().get(0);
            assertThat(self.logEndOffset()).isEqualTo(applied);
            assertThat(self.lastCaughtUpTimestamp()).isEqualTo(self.lastFetchTimestamp()).isGreaterThan(heard);
            assertThat(quorum.currentVoters().subList(1, 4)).extracting(ReplicaState::replicaId,
                            ReplicaState::logEndOffset, ReplicaState::lastFetchTimestamp,
                            ReplicaState::lastCaughtUpTimestamp)
                    .containsExactly(
                            tuple(2, applied, heard, heard),
                            tuple(3, applied - 1, heard, -1L),
                            tuple(4, -1L, -1L, -1L));
        }
    }

    @Test
    void anyOtherPartitionIsUnknown() {
        DescribeQuorumHandler handler = new DescribeQuorumHandler(fixture.controller(), 1, List.of(), "");
        assertThat(partition(describe(handler, 2, "orders")).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    private static DescribeQuorumResponse describe(DescribeQuorumHandler handler, int version, String topic) {
        DescribeQuorumRequest request = new DescribeQuorumRequest().setTopics(new ArrayList<>(List.of(
                new DescribeQuorumRequest.TopicData().setTopicName(topic).setPartitions(new ArrayList<>(List.of(
                        new DescribeQuorumRequest.PartitionData().setPartitionIndex(0)))))));
        return overTheWire(handler.handle(context(ApiKey.DESCRIBE_QUORUM, version), overTheWire(request, version))
                .join(), version);
    }

    private static DescribeQuorumResponse.PartitionData partition(DescribeQuorumResponse response) {
        assertThat(response.topics()).hasSize(1);
        assertThat(response.topics().get(0).partitions()).hasSize(1);
        return response.topics().get(0).partitions().get(0);
    }

    /** A local log that plays the quorum's leader, node 1 in epoch 4, with the progress a test gives it. */
    private static final class LeaderLog implements MetadataLog {
        private final LocalMetadataLog log;
        volatile Map<Integer, ReplicaProgress> progress = Map.of();

        LeaderLog(LocalMetadataLog log) {
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
        public OptionalInt leaderId() {
            return OptionalInt.of(1);
        }

        @Override
        public long leaderEpoch() {
            return 4;
        }

        @Override
        public Map<Integer, ReplicaProgress> replicaProgress() {
            return progress;
        }

        @Override
        public void close() throws IOException {
            log.close();
        }
    }
}
