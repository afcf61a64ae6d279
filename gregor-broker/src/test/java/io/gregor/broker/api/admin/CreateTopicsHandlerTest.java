package io.gregor.broker.api.admin;

import static io.gregor.broker.api.admin.MetadataFixture.context;
import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.quota.MutationQuotas;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreateTopicsRequest;
import io.gregor.protocol.message.CreateTopicsRequest.CreatableReplicaAssignment;
import io.gregor.protocol.message.CreateTopicsRequest.CreatableTopic;
import io.gregor.protocol.message.CreateTopicsRequest.CreatableTopicConfig;
import io.gregor.protocol.message.CreateTopicsResponse;
import io.gregor.protocol.message.CreateTopicsResponse.CreatableTopicConfigs;
import io.gregor.protocol.message.CreateTopicsResponse.CreatableTopicResult;
import io.gregor.protocol.wire.WireFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateTopicsHandlerTest {
    @TempDir
    Path dataDir;
    private MetadataFixture fixture;
    private CreateTopicsHandler handler;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
        handler = new CreateTopicsHandler(fixture.controller(), MetadataFixture.CATALOG, MetadataFixture.BROKER_CONFIG,
                MutationQuotas.unlimited(), 1);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void defaultsApplyAndTheResponseCarriesIdCountsAndConfigs() {
        CreatableTopicResult result = create(7, false, topic("orders", -1, -1)
                .setConfigs(configs("retention.ms", "1000"))).topics().get(0);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.topicId()).isNotEqualTo(WireFormat.ZERO_UUID)
                .isEqualTo(fixture.controller().image().topic("orders").orElseThrow().id());
        assertThat(result.numPartitions()).isEqualTo(1);
        assertThat(result.replicationFactor()).isEqualTo((short) 1);
        assertThat(result.configs()).extracting(CreatableTopicConfigs::name, CreatableTopicConfigs::value,
                CreatableTopicConfigs::configSource).contains(
                org.assertj.core.groups.Tuple.tuple("retention.ms", "1000", ConfigSource.DYNAMIC_TOPIC_CONFIG.code()),
                org.assertj.core.groups.Tuple.tuple("segment.bytes", "1048576", ConfigSource.STATIC_BROKER_CONFIG.code()),
                org.assertj.core.groups.Tuple.tuple("cleanup.policy", "delete", ConfigSource.DEFAULT_CONFIG.code()));
    }

    @Test
    void everyVersionEncodesSuccessAndFailure() {
        for (int version = 2; version <= 7; version++) {
            CreateTopicsResponse response = create(version, false, topic("v" + version, 2, 1), topic("bad/name", 1, 1));
            assertThat(response.topics()).extracting(CreatableTopicResult::errorCode)
                    .containsExactly(Errors.NONE.code(), Errors.INVALID_TOPIC_EXCEPTION.code());
        }
    }

    @Test
    void validateOnlyAnswersAsIfCreatedButCreatesNothing() {
        CreatableTopicResult result = create(7, true, topic("dry-run", 3, 1)).topics().get(0);

        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.numPartitions()).isEqualTo(3);
        assertThat(fixture.controller().image().topic("dry-run")).isEmpty();
    }

    @Test
    void kafkaErrorsPerTopic() {
        create(7, false, topic("taken", 1, 1));

        CreateTopicsResponse response = create(7, false,
                topic("taken", 1, 1),
                topic("zero", 0, 1),
                topic("too-many-replicas", 1, 3),
                topic("bad-config", 1, 1).setConfigs(configs("retention.ms", "soon")),
                topic("unknown-config", 1, 1).setConfigs(configs("no.such.config", "1")));

        assertThat(response.topics()).extracting(CreatableTopicResult::errorCode).containsExactly(
                Errors.TOPIC_ALREADY_EXISTS.code(), Errors.INVALID_PARTITIONS.code(),
                Errors.INVALID_REPLICATION_FACTOR.code(), Errors.INVALID_CONFIG.code(), Errors.INVALID_CONFIG.code());
        assertThat(response.topics().get(3).errorMessage()).contains("retention.ms", "soon");
        assertThat(response.topics().get(0).numPartitions()).isEqualTo(-1);
    }

    @Test
    void topicNamedTwiceIsAnInvalidRequestAnsweredOnce() {
        CreateTopicsResponse response = create(7, false, topic("twice", 1, 1), topic("twice", 1, 1));

        assertThat(response.topics()).singleElement()
                .extracting(CreatableTopicResult::errorCode).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(fixture.controller().image().topic("twice")).isEmpty();
    }

    @Test
    void manualAssignmentDecidesThePartitions() {
        CreatableTopic manual = topic("manual", -1, -1).setAssignments(new ArrayList<>(List.of(
                new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(new ArrayList<>(List.of(1))),
                new CreatableReplicaAssignment().setPartitionIndex(1).setBrokerIds(new ArrayList<>(List.of(1))))));
        CreatableTopic unknownBroker = topic("unknown-broker", -1, -1).setAssignments(new ArrayList<>(List.of(
                new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(new ArrayList<>(List.of(5))))));

        CreateTopicsResponse response = create(7, false, manual, unknownBroker);

        assertThat(response.topics()).extracting(CreatableTopicResult::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(response.topics().get(0).numPartitions()).isEqualTo(2);
    }

    private CreateTopicsResponse create(int version, boolean validateOnly, CreatableTopic... topics) {
        CreateTopicsRequest request = overTheWire(new CreateTopicsRequest()
                .setTopics(new ArrayList<>(List.of(topics))).setvalidateOnly(validateOnly), version);
        CreateTopicsResponse response = handler.handle(context(ApiKey.CREATE_TOPICS, version), request).join();
        return overTheWire(response, version);
    }

    static CreatableTopic topic(String name, int partitions, int replicationFactor) {
        return new CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor((short) replicationFactor);
    }

    static List<CreatableTopicConfig> configs(String key, String value) {
        return new ArrayList<>(List.of(new CreatableTopicConfig().setName(key).setValue(value)));
    }
}
