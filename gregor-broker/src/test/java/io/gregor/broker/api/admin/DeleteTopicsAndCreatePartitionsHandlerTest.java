package io.gregor.broker.api.admin;

import static io.gregor.broker.api.admin.MetadataFixture.context;
import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.quota.MutationQuotas;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.CreatePartitionsRequest;
import io.gregor.protocol.message.CreatePartitionsRequest.CreatePartitionsAssignment;
import io.gregor.protocol.message.CreatePartitionsRequest.CreatePartitionsTopic;
import io.gregor.protocol.message.CreatePartitionsResponse;
import io.gregor.protocol.message.CreatePartitionsResponse.CreatePartitionsTopicResult;
import io.gregor.protocol.message.DeleteTopicsRequest;
import io.gregor.protocol.message.DeleteTopicsRequest.DeleteTopicState;
import io.gregor.protocol.message.DeleteTopicsResponse;
import io.gregor.protocol.message.DeleteTopicsResponse.DeletableTopicResult;
import io.gregor.protocol.wire.WireFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteTopicsAndCreatePartitionsHandlerTest {
    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void deletesByNameInOldVersions() {
        for (int version = 1; version <= 5; version++) {
            createTopic("doomed", 1);
            DeleteTopicsResponse response = delete(version, new DeleteTopicsRequest()
                    .setTopicNames(new ArrayList<>(List.of("doomed", "never-existed"))));

            assertThat(response.responses()).extracting(DeletableTopicResult::name, DeletableTopicResult::errorCode)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("doomed", Errors.NONE.code()),
                            org.assertj.core.groups.Tuple.tuple("never-existed",
                                    Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
            assertThat(fixture.controller().image().topic("doomed")).isEmpty();
        }
    }

    @Test
    void deletesByIdAndAnswersWithTheName() {
        UUID id = createTopic("by-id", 2);

        DeleteTopicsResponse response = delete(6, new DeleteTopicsRequest().setTopics(new ArrayList<>(List.of(
                new DeleteTopicState().setName(null).setTopicId(id),
                new DeleteTopicState().setName(null).setTopicId(new UUID(9, 9)),
                new DeleteTopicState().setName("both").setTopicId(new UUID(8, 8))))));

        assertThat(response.responses()).extracting(DeletableTopicResult::errorCode).containsExactly(
                Errors.NONE.code(), Errors.UNKNOWN_TOPIC_ID.code(), Errors.INVALID_REQUEST.code());
        assertThat(response.responses().get(0).name()).isEqualTo("by-id");
        assertThat(response.responses().get(0).topicId()).isEqualTo(id);
        assertThat(fixture.controller().image().topic(id)).isEmpty();
    }

    @Test
    void sameTopicTwiceInADeletionIsAnInvalidRequest() {
        createTopic("twice", 1);
        DeleteTopicsResponse response = delete(6, new DeleteTopicsRequest().setTopics(new ArrayList<>(List.of(
                new DeleteTopicState().setName("twice").setTopicId(WireFormat.ZERO_UUID),
                new DeleteTopicState().setName("twice").setTopicId(WireFormat.ZERO_UUID)))));

        assertThat(response.responses()).extracting(DeletableTopicResult::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.INVALID_REQUEST.code());
    }

    @Test
    void deletionIsRefusedWhenDisabled() {
        createTopic("protected", 1);

        DeleteTopicsResponse response = delete(5, new DeleteTopicsRequest()
                .setTopicNames(new ArrayList<>(List.of("protected"))), false);

        assertThat(response.responses().get(0).errorCode()).isEqualTo(Errors.TOPIC_DELETION_DISABLED.code());
        assertThat(fixture.controller().image().topic("protected")).isPresent();
    }

    @Test
    void partitionsGrowButNeverShrinkAtEveryVersion() {
        for (int version = 0; version <= 3; version++) {
            String name = "growing-" + version;
            createTopic(name, 2);

            assertThat(increase(version, false, name, 5).errorCode()).isEqualTo(Errors.NONE.code());
            CreatePartitionsTopicResult shrink = increase(version, false, name, 3);

            assertThat(fixture.controller().image().topic(name).orElseThrow().partitionCount()).isEqualTo(5);
            assertThat(shrink.errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
            assertThat(shrink.errorMessage()).contains("currently has 5 partition(s)");
        }
    }

    @Test
    void validateOnlyAddsNoPartitions() {
        createTopic("steady", 1);

        assertThat(increase(3, true, "steady", 4).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fixture.controller().image().topic("steady").orElseThrow().partitionCount()).isEqualTo(1);
    }

    @Test
    void assignmentsForAddedPartitionsAreChecked() {
        createTopic("assigned", 1);
        CreatePartitionsRequest request = new CreatePartitionsRequest().setTopics(new ArrayList<>(List.of(
                new CreatePartitionsTopic().setName("assigned").setCount(2).setAssignments(new ArrayList<>(List.of(
                        new CreatePartitionsAssignment().setBrokerIds(new ArrayList<>(List.of(42)))))),
                new CreatePartitionsTopic().setName("missing").setCount(2).setAssignments(null))));

        CreatePartitionsResponse response = handle(3, request);

        assertThat(response.results()).extracting(CreatePartitionsTopicResult::errorCode).containsExactly(
                Errors.INVALID_REPLICA_ASSIGNMENT.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    private UUID createTopic(String name, int partitions) {
        return fixture.controller().createTopics(List.of(CreatableTopic.of(name, partitions, (short) 1)), false)
                .join().get(0).topicId().orElseThrow();
    }

    private DeleteTopicsResponse delete(int version, DeleteTopicsRequest request) {
        return delete(version, request, true);
    }

    private DeleteTopicsResponse delete(int version, DeleteTopicsRequest request, boolean deleteTopicEnable) {
        DeleteTopicsHandler handler = new DeleteTopicsHandler(fixture.controller(), deleteTopicEnable, MutationQuotas.unlimited());
        return overTheWire(handler.handle(context(ApiKey.DELETE_TOPICS, version), overTheWire(request, version))
                .join(), version);
    }

    private CreatePartitionsTopicResult increase(int version, boolean validateOnly, String topic, int count) {
        CreatePartitionsRequest request = new CreatePartitionsRequest().setValidateOnly(validateOnly)
                .setTopics(new ArrayList<>(List.of(new CreatePartitionsTopic().setName(topic).setCount(count)
                        .setAssignments(null))));
        return handle(version, request).results().get(0);
    }

    private CreatePartitionsResponse handle(int version, CreatePartitionsRequest request) {
        CreatePartitionsHandler handler = new CreatePartitionsHandler(fixture.controller(), MutationQuotas.unlimited());
        return overTheWire(handler.handle(context(ApiKey.CREATE_PARTITIONS, version), overTheWire(request, version))
                .join(), version);
    }
}
