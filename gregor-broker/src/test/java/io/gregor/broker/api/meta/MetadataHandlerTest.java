package io.gregor.broker.api.meta;

import static io.gregor.broker.api.admin.MetadataFixture.IDENTITY;
import static io.gregor.broker.api.admin.MetadataFixture.context;
import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.admin.MetadataFixture;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.MetadataRequest;
import io.gregor.protocol.message.MetadataRequest.MetadataRequestTopic;
import io.gregor.protocol.message.MetadataResponse;
import io.gregor.protocol.message.MetadataResponse.MetadataResponsePartition;
import io.gregor.protocol.message.MetadataResponse.MetadataResponseTopic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataHandlerTest {
    /** A broker that has applied every committed change. */
    @TempDir
    Path dataDir;
    private MetadataFixture fixture;
    private UUID ordersId;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
        ordersId = fixture.controller().createTopics(List.of(CreatableTopic.of("orders", 3, (short) 1)), false)
                .join().get(0).topicId().orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void everyVersionListsBrokersAndAllTopicsWithTheirPartitions() {
        for (int version = 0; version <= 13; version++) {
            MetadataRequest request = new MetadataRequest().setTopics(version == 0 ? new ArrayList<>() : null);
            MetadataResponse response = metadata(version, true, request);

            assertThat(response.brokers()).singleElement().satisfies(broker -> {
                assertThat(broker.nodeId()).isEqualTo(1);
                assertThat(broker.host()).isEqualTo("broker-host");
                assertThat(broker.port()).isEqualTo(9092);
            });
            MetadataResponseTopic orders = response.topics().stream()
                    .filter(t -> "orders".equals(t.name())).findFirst().orElseThrow();
            assertThat(orders.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(orders.partitions()).extracting(MetadataResponsePartition::partitionIndex)
                    .containsExactly(0, 1, 2);
            assertThat(orders.partitions()).allSatisfy(p -> {
                assertThat(p.leaderId()).isEqualTo(1);
                assertThat(p.replicaNodes()).containsExactly(1);
                assertThat(p.isrNodes()).containsExactly(1);
            });
        }
    }

    @Test
    void recentVersionsCarryClusterIdControllerRackAndTopicId() {
        MetadataResponse response = metadata(13, true, new MetadataRequest().setTopics(null));

        assertThat(response.clusterId()).isEqualTo("test-cluster-id");
        assertThat(response.controllerId()).isEqualTo(1);
        assertThat(response.brokers().get(0).rack()).isEqualTo("rack-1");
        assertThat(response.topics().get(0).topicId()).isEqualTo(ordersId);
        assertThat(response.topics().get(0).partitions().get(0).leaderEpoch()).isZero();
        assertThat(response.topics().get(0).topicAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void emptyTopicListMeansNoTopicsFromVersionOne() {
        assertThat(metadata(1, true, new MetadataRequest().setTopics(new ArrayList<>())).topics()).isEmpty();
    }

    @Test
    void unknownTopicIsCreatedWithDefaultsWhenAllowed() {
        MetadataResponse response = metadata(12, true, named("auto-created"));

        assertThat(response.topics()).singleElement().satisfies(topic -> {
            assertThat(topic.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(topic.partitions()).hasSize(1);
        });
        assertThat(fixture.controller().image().topic("auto-created")).isPresent();
    }

    @Test
    void unknownTopicIsNotCreatedWhenTheClientOrTheBrokerSaysNo() {
        MetadataRequest notAllowed = named("not-allowed").setAllowAutoTopicCreation(false);
        assertThat(metadata(12, true, notAllowed).topics().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(metadata(12, false, named("disabled")).topics().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(fixture.controller().image().topic("not-allowed")).isEmpty();
        assertThat(fixture.controller().image().topic("disabled")).isEmpty();
    }

    @Test
    void illegalNamesAndInternalTopicsAreNotAutoCreated() {
        MetadataResponse response = metadata(12, true, named("bad/name", "__consumer_offsets"));

        assertThat(response.topics()).extracting(MetadataResponseTopic::errorCode).containsExactly(
                Errors.INVALID_TOPIC_EXCEPTION.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.topics().get(1).isInternal()).isTrue();
    }

    @Test
    void topicsAreFoundByIdFromVersionTwelve() {
        MetadataRequest request = new MetadataRequest().setTopics(new ArrayList<>(List.of(
                new MetadataRequestTopic().setName(null).setTopicId(ordersId),
                new MetadataRequestTopic().setName(null).setTopicId(new UUID(5, 5)))));

        MetadataResponse response = metadata(12, true, request);

        assertThat(response.topics()).extracting(MetadataResponseTopic::name, MetadataResponseTopic::errorCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", Errors.NONE.code()),
                        org.assertj.core.groups.Tuple.tuple(null, Errors.UNKNOWN_TOPIC_ID.code()));
    }

    /** kafka-clients 4.1 asks for topics it knows only by id (broker-side regex) with an empty name. */
    @Test
    void topicWithAnIdAndAnEmptyNameIsFoundById() {
        MetadataRequest request = new MetadataRequest().setTopics(new ArrayList<>(List.of(
                new MetadataRequestTopic().setName("").setTopicId(ordersId))));

        MetadataResponse response = metadata(12, true, request);

        assertThat(response.topics()).extracting(MetadataResponseTopic::name, MetadataResponseTopic::errorCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", Errors.NONE.code()));
    }

    private MetadataResponse metadata(int version, boolean autoCreate, MetadataRequest request) {
        MetadataHandler handler = new MetadataHandler(fixture.controller(), IDENTITY, autoCreate);
        MetadataResponse response = handler.handle(context(ApiKey.METADATA, version), overTheWire(request, version))
                .join();
        return overTheWire(response, version);
    }

    private static MetadataRequest named(String... names) {
        List<MetadataRequestTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new MetadataRequestTopic().setName(name));
        }
        return new MetadataRequest().setTopics(topics);
    }
}
