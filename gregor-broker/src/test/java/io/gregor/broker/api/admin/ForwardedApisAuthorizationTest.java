package io.gregor.broker.api.admin;

import static io.gregor.broker.api.admin.MetadataFixture.overTheWire;
import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.cluster.BrokerHeartbeatHandler;
import io.gregor.broker.api.cluster.ElectLeadersHandler;
import io.gregor.broker.api.cluster.ListPartitionReassignmentsHandler;
import io.gregor.broker.quota.MutationQuotas;
import io.gregor.broker.security.Authorizer;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterUserScramCredentialsRequest;
import io.gregor.protocol.message.AlterUserScramCredentialsResponse;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.BrokerHeartbeatRequest;
import io.gregor.protocol.message.BrokerHeartbeatResponse;
import io.gregor.protocol.message.CreatePartitionsRequest;
import io.gregor.protocol.message.CreatePartitionsResponse;
import io.gregor.protocol.message.DeleteTopicsRequest;
import io.gregor.protocol.message.DeleteTopicsRequest.DeleteTopicState;
import io.gregor.protocol.message.DeleteTopicsResponse;
import io.gregor.protocol.message.DeleteTopicsResponse.DeletableTopicResult;
import io.gregor.protocol.message.ElectLeadersRequest;
import io.gregor.protocol.message.ElectLeadersResponse;
import io.gregor.protocol.message.IncrementalAlterConfigsRequest;
import io.gregor.protocol.message.IncrementalAlterConfigsResponse;
import io.gregor.protocol.message.IncrementalAlterConfigsResponse.AlterConfigsResourceResponse;
import io.gregor.protocol.message.ListPartitionReassignmentsRequest;
import io.gregor.protocol.message.ListPartitionReassignmentsResponse;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarded admin APIs and the controller's cluster APIs ask the authorizer what Kafka asks,
 * per item where the response has items, and leave refused items untouched.
 */
class ForwardedApisAuthorizationTest {
    /** alice may delete, alter and alter the configs of topic "mine", and nothing else. */
    private static final Authorizer ALICE_OWNS_MINE = (principal, host, operation, type, name) ->
            principal.equals("User:alice") && type == AclResourceType.TOPIC && name.equals("mine")
                    && List.of(AclOperation.DELETE, AclOperation.ALTER, AclOperation.ALTER_CONFIGS).contains(operation);

    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
        fixture.controller().createTopics(List.of(CreatableTopic.of("mine", 1, (short) 1),
                CreatableTopic.of("theirs", 1, (short) 1)), false).join();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void deleteTopicsNeedsDeleteOnEachTopicNamedOrIdentified() {
        UUID theirs = fixture.controller().image().topic("theirs").orElseThrow().id();
        DeleteTopicsRequest request = new DeleteTopicsRequest().setTopics(new ArrayList<>(List.of(
                new DeleteTopicState().setName("mine"),
                new DeleteTopicState().setName(null).setTopicId(theirs))));

        DeleteTopicsResponse response = overTheWire(new DeleteTopicsHandler(fixture.controller(), true, MutationQuotas.unlimited())
                .handle(alice(ApiKey.DELETE_TOPICS, 6), overTheWire(request, 6)).join(), 6);

        assertThat(response.responses()).extracting(DeletableTopicResult::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(fixture.controller().image().topic("mine")).isEmpty();
        assertThat(fixture.controller().image().topic("theirs")).isPresent();
    }

    @Test
    void createPartitionsNeedsAlterOnEachTopic() {
        CreatePartitionsRequest request = new CreatePartitionsRequest().setTopics(new ArrayList<>(List.of(
                new CreatePartitionsRequest.CreatePartitionsTopic().setName("mine").setCount(2).setAssignments(null),
                new CreatePartitionsRequest.CreatePartitionsTopic().setName("theirs").setCount(2)
                        .setAssignments(null))));

        CreatePartitionsResponse response = overTheWire(new CreatePartitionsHandler(fixture.controller(), MutationQuotas.unlimited())
                .handle(alice(ApiKey.CREATE_PARTITIONS, 3), overTheWire(request, 3)).join(), 3);

        assertThat(response.results()).extracting(CreatePartitionsResponse.CreatePartitionsTopicResult::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(fixture.controller().image().topic("theirs").orElseThrow().partitionCount()).isEqualTo(1);
    }

    @Test
    void configChangesNeedAlterConfigsOnTheTopicOrTheCluster() {
        IncrementalAlterConfigsRequest request = new IncrementalAlterConfigsRequest().setResources(new ArrayList<>(
                List.of(resource((byte) 2, "mine"), resource((byte) 2, "theirs"), resource((byte) 4, "1"))));

        IncrementalAlterConfigsResponse response = overTheWire(new IncrementalAlterConfigsHandler(fixture.controller(), BrokerConfigCheck.NONE)
                .handle(alice(ApiKey.INCREMENTAL_ALTER_CONFIGS, 1), overTheWire(request, 1)).join(), 1);

        assertThat(response.responses()).extracting(AlterConfigsResourceResponse::errorCode).containsExactly(
                Errors.NONE.code(), Errors.TOPIC_AUTHORIZATION_FAILED.code(), Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(fixture.controller().image().configs(ConfigResource.topic("mine")))
                .containsOnly(Map.entry("retention.ms", "1000"));
        assertThat(fixture.controller().image().configs(ConfigResource.topic("theirs"))).isEmpty();
    }

    @Test
    void clusterWideChangesNeedAlterOnTheClusterPerItem() {
        ElectLeadersRequest elect = new ElectLeadersRequest().setTopicPartitions(new ArrayList<>(List.of(
                new ElectLeadersRequest.TopicPartitions().setTopic("mine").setPartitions(new ArrayList<>(List.of(0))))));
        ElectLeadersResponse elected = overTheWire(new ElectLeadersHandler(fixture.controller())
                .handle(alice(ApiKey.ELECT_LEADERS, 2), overTheWire(elect, 2)).join(), 2);
        assertThat(elected.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(elected.replicaElectionResults()).singleElement().satisfies(topic ->
                assertThat(topic.partitionResult()).singleElement().satisfies(partition ->
                        assertThat(partition.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code())));
        // version 0 has only the per-partition errors
        assertThat(overTheWire(new ElectLeadersHandler(fixture.controller())
                .handle(alice(ApiKey.ELECT_LEADERS, 0), overTheWire(elect, 0)).join(), 0)
                .replicaElectionResults().get(0).partitionResult().get(0).errorCode())
                .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());

        AlterUserScramCredentialsRequest scram = new AlterUserScramCredentialsRequest().setDeletions(new ArrayList<>(
                List.of(new AlterUserScramCredentialsRequest.ScramCredentialDeletion().setName("bob")
                        .setMechanism((byte) 1)))).setUpsertions(new ArrayList<>());
        AlterUserScramCredentialsResponse altered = new AlterUserScramCredentialsHandler(fixture.controller())
                .handle(alice(ApiKey.ALTER_USER_SCRAM_CREDENTIALS, 0), scram).join();
        assertThat(altered.results()).singleElement().satisfies(r -> {
            assertThat(r.user()).isEqualTo("bob");
            assertThat(r.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        });
    }

    @Test
    void listingReassignmentsNeedsDescribeOnTheCluster() {
        ListPartitionReassignmentsResponse response = new ListPartitionReassignmentsHandler(fixture.controller())
                .handle(alice(ApiKey.LIST_PARTITION_REASSIGNMENTS, 0),
                        new ListPartitionReassignmentsRequest().setTopics(null)).join();

        assertThat(response.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(response.topics()).isEmpty();
    }

    @Test
    void onlyAPrincipalWithClusterActionMaySendHeartbeats() {
        Authorizer nodesOnly = (principal, host, operation, type, name) -> principal.equals("User:ANONYMOUS")
                && operation == AclOperation.CLUSTER_ACTION;
        BrokerHeartbeatHandler handler = new BrokerHeartbeatHandler(fixture.controller());
        BrokerHeartbeatRequest heartbeat = new BrokerHeartbeatRequest().setBrokerId(1).setBrokerEpoch(0);

        BrokerHeartbeatResponse fromAlice = handler.handle(context(ApiKey.BROKER_HEARTBEAT, "User:alice", nodesOnly),
                heartbeat).join();

        assertThat(fromAlice.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(fromAlice.isFenced()).isTrue();
        assertThat(handler.handle(context(ApiKey.BROKER_HEARTBEAT, RequestContext.ANONYMOUS, nodesOnly), heartbeat)
                .join().errorCode()).isNotEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    private static IncrementalAlterConfigsRequest.AlterConfigsResource resource(byte type, String name) {
        String key = type == 2 ? "retention.ms" : "log.retention.ms";
        return new IncrementalAlterConfigsRequest.AlterConfigsResource().setResourceType(type).setResourceName(name)
                .setConfigs(new ArrayList<>(List.of(new IncrementalAlterConfigsRequest.AlterableConfig()
                        .setName(key).setConfigOperation((byte) 0).setValue("1000"))));
    }

    private static RequestContext alice(ApiKey key, int version) {
        return new RequestContext(key.id(), (short) version, 7, "alice-admin", "conn-1",
                InetAddress.getLoopbackAddress(), "SASL_PLAINTEXT", "User:alice", ALICE_OWNS_MINE);
    }

    private static RequestContext context(ApiKey key, String principal, Authorizer authorizer) {
        return new RequestContext(key.id(), key.highestVersion(), 7, "node", "conn-1",
                InetAddress.getLoopbackAddress(), "PLAINTEXT", principal, authorizer);
    }
}
