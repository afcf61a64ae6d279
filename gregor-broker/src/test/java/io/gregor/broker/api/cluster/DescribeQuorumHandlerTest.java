package io.gregor.broker.api.cluster;

import static io.gregor.broker.api.admin.MetadataFixture.context;
import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.admin.MetadataFixture;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeQuorumRequest;
import io.gregor.protocol.message.DescribeQuorumResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DescribeQuorum on a single node, which keeps its metadata alone: a quorum of one. */
class DescribeQuorumHandlerTest {
    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
        fixture.controller().createTopics(List.of(CreatableTopic.of("a", 2, (short) 1)), false).join();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aSingleNodeIsTheOnlyVoterAndTheLeaderAtEveryVersion() {
        long applied = fixture.controller().image().nextOffset();
        for (int version = 0; version <= 2; version++) {
            DescribeQuorumResponse.PartitionData quorum = describe(version, "__cluster_metadata", 0)
                    .topics().get(0).partitions().get(0);

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
    void anyOtherPartitionIsUnknown() {
        DescribeQuorumResponse response = describe(2, "orders", 0);
        assertThat(response.topics().get(0).partitions()).singleElement()
                .satisfies(partition -> assertThat(partition.errorCode())
                        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
    }

    private DescribeQuorumResponse describe(int version, String topic, int partition) {
        DescribeQuorumRequest request = new DescribeQuorumRequest().setTopics(new ArrayList<>(List.of(
                new DescribeQuorumRequest.TopicData().setTopicName(topic).setPartitions(new ArrayList<>(List.of(
                        new DescribeQuorumRequest.PartitionData().setPartitionIndex(partition)))))));
        DescribeQuorumHandler handler = new DescribeQuorumHandler(fixture.controller(), 1, List.of(), "");
        return overTheWire(handler.handle(context(ApiKey.DESCRIBE_QUORUM, version), overTheWire(request, version))
                .join(), version);
    }
}
