package io.gregor.broker.api.meta;

import static io.gregor.broker.api.admin.MetadataFixture.IDENTITY;
import static io.gregor.broker.api.admin.MetadataFixture.context;
import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.gregor.broker.api.admin.MetadataFixture;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeClusterRequest;
import io.gregor.protocol.message.DescribeClusterResponse;
import io.gregor.protocol.message.DescribeTopicPartitionsRequest;
import io.gregor.protocol.message.DescribeTopicPartitionsRequest.TopicRequest;
import io.gregor.protocol.message.DescribeTopicPartitionsResponse;
import io.gregor.protocol.message.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition;
import io.gregor.protocol.message.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterAndPartitionsHandlerTest {
    /** A broker that has applied every committed change. */
    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
        fixture.controller().createTopics(List.of(CreatableTopic.of("a", 3, (short) 1),
                CreatableTopic.of("b", 2, (short) 1), CreatableTopic.of("c", 1, (short) 1)), false).join();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void describeClusterAnswersClusterIdControllerAndBrokersAtEveryVersion() {
        for (int version = 0; version <= 2; version++) {
            DescribeClusterResponse response = describeCluster(version, new DescribeClusterRequest());

            assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(response.clusterId()).isEqualTo("test-cluster-id");
            assertThat(response.controllerId()).isEqualTo(1);
            assertThat(response.brokers()).singleElement().satisfies(broker -> {
                assertThat(broker.brokerId()).isEqualTo(1);
                assertThat(broker.host()).isEqualTo("broker-host");
                assertThat(broker.port()).isEqualTo(9092);
                assertThat(broker.rack()).isEqualTo("rack-1");
            });
        }
    }

    @Test
    void controllerEndpointsAreNotServedByABroker() {
        DescribeClusterResponse response = describeCluster(1, new DescribeClusterRequest().setEndpointType((byte) 2));
        assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code());
    }

    @Test
    void describeTopicPartitionsPagesThroughTopicsInNameOrderWithACursor() {
        DescribeTopicPartitionsResponse first = describePartitions(
                new DescribeTopicPartitionsRequest().setResponsePartitionLimit(2));
        assertThat(partitions(first)).containsExactly(tuple("a", 0), tuple("a", 1));
        assertThat(first.nextCursor().topicName()).isEqualTo("a");
        assertThat(first.nextCursor().partitionIndex()).isEqualTo(2);

        DescribeTopicPartitionsResponse second = describePartitions(new DescribeTopicPartitionsRequest()
                .setResponsePartitionLimit(2).setCursor(new DescribeTopicPartitionsRequest.Cursor()
                        .setTopicName("a").setPartitionIndex(2)));
        assertThat(partitions(second)).containsExactly(tuple("a", 2), tuple("b", 0));
        assertThat(second.nextCursor().topicName()).isEqualTo("b");
        assertThat(second.nextCursor().partitionIndex()).isEqualTo(1);

        DescribeTopicPartitionsResponse last = describePartitions(new DescribeTopicPartitionsRequest()
                .setResponsePartitionLimit(10).setCursor(new DescribeTopicPartitionsRequest.Cursor()
                        .setTopicName("b").setPartitionIndex(1)));
        assertThat(partitions(last)).containsExactly(tuple("b", 1), tuple("c", 0));
        assertThat(last.nextCursor()).isNull();
    }

    @Test
    void cursorPointsAtTheNextTopicWhenALimitEndsExactlyAtATopicBoundary() {
        DescribeTopicPartitionsResponse response = describePartitions(
                new DescribeTopicPartitionsRequest().setResponsePartitionLimit(3));

        assertThat(partitions(response)).containsExactly(tuple("a", 0), tuple("a", 1), tuple("a", 2));
        assertThat(response.nextCursor().topicName()).isEqualTo("b");
        assertThat(response.nextCursor().partitionIndex()).isZero();
    }

    @Test
    void requestedTopicsAreDescribedAndUnknownOnesReported() {
        DescribeTopicPartitionsResponse response = describePartitions(new DescribeTopicPartitionsRequest()
                .setTopics(new ArrayList<>(List.of(new TopicRequest().setName("missing"), new TopicRequest().setName("c")))));

        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name,
                DescribeTopicPartitionsResponseTopic::errorCode).containsExactly(
                tuple("c", Errors.NONE.code()), tuple("missing", Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        assertThat(response.topics().get(0).topicId())
                .isEqualTo(fixture.controller().image().topic("c").orElseThrow().id());
    }

    private DescribeClusterResponse describeCluster(int version, DescribeClusterRequest request) {
        DescribeClusterHandler handler = new DescribeClusterHandler(fixture.controller(), IDENTITY);
        return overTheWire(handler.handle(context(ApiKey.DESCRIBE_CLUSTER, version), overTheWire(request, version))
                .join(), version);
    }

    private DescribeTopicPartitionsResponse describePartitions(DescribeTopicPartitionsRequest request) {
        DescribeTopicPartitionsHandler handler = new DescribeTopicPartitionsHandler(fixture.controller());
        return overTheWire(handler.handle(context(ApiKey.DESCRIBE_TOPIC_PARTITIONS, 0), overTheWire(request, 0))
                .join(), 0);
    }

    private static List<org.assertj.core.groups.Tuple> partitions(DescribeTopicPartitionsResponse response) {
        List<org.assertj.core.groups.Tuple> result = new ArrayList<>();
        for (DescribeTopicPartitionsResponseTopic topic : response.topics()) {
            for (DescribeTopicPartitionsResponsePartition partition : topic.partitions()) {
                result.add(tuple(topic.name(), partition.partitionIndex()));
            }
        }
        return result;
    }
}
