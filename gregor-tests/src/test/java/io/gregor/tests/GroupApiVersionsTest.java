package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Group APIs at every version clients send, through requests encoded by kafka-clients itself:
 * FindCoordinator single (0-3) and batched (4+), OffsetFetch for one group (1-7) and several
 * (8+), reading offsets committed by a consumer that uses {@code assign()} without membership;
 * and the feature level that tells tools the consumer group protocol is on.
 */
class GroupApiVersionsTest {
    private static final String TOPIC = "versions";

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBrokerAndCommit() throws Exception {
        broker = GregorBroker.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        }
        for (String group : List.of("assigner-a", "assigner-b")) {
            try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                    Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
                consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
                consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0),
                        new OffsetAndMetadata(group.equals("assigner-a") ? 17 : 23, "meta")));
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void groupVersionOneIsSupportedAndFinalized() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            FeatureMetadata features = admin.describeFeatures().featureMetadata().get();

            assertThat(features.finalizedFeatures().get("group.version").maxVersionLevel()).isEqualTo((short) 1);
            assertThat(features.supportedFeatures().get("group.version").maxVersion()).isEqualTo((short) 1);
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {0, 1, 2, 3, 4, 5, 6})
    void findCoordinatorNamesThisBrokerForAGroup(short version) throws Exception {
        FindCoordinatorRequestData data = new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.GROUP.id());
        if (version < 4) {
            data.setKey("assigner-a");
        } else {
            data.setCoordinatorKeys(List.of("assigner-a", "assigner-b"));
        }

        FindCoordinatorResponseData response = findCoordinator(data, version);

        int port = Integer.parseInt(broker.bootstrapServers().split(":")[1]);
        if (version < 4) {
            assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(response.port()).isEqualTo(port);
        } else {
            assertThat(response.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key)
                    .containsExactly("assigner-a", "assigner-b");
            assertThat(response.coordinators()).allSatisfy(c -> {
                assertThat(c.errorCode()).isEqualTo(Errors.NONE.code());
                assertThat(c.port()).isEqualTo(port);
            });
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {1, 3, 4, 6})
    void transactionCoordinatorIsThisBroker(short version) throws Exception {
        FindCoordinatorRequestData data = new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id());
        if (version < 4) {
            data.setKey("txn");
        } else {
            data.setCoordinatorKeys(List.of("txn"));
        }

        // The first FindCoordinator for a transaction creates __transaction_state; until this
        // broker has its logs the answer is COORDINATOR_NOT_AVAILABLE, which clients retry.
        FindCoordinatorResponseData response = await().atMost(Duration.ofSeconds(30))
                .until(() -> findCoordinator(data, version),
                        r -> transactionError(r, version) != Errors.COORDINATOR_NOT_AVAILABLE.code());

        int port = Integer.parseInt(broker.bootstrapServers().split(":")[1]);
        int coordinatorPort = version < 4 ? response.port() : response.coordinators().get(0).port();
        assertThat(transactionError(response, version)).isEqualTo(Errors.NONE.code());
        assertThat(coordinatorPort).isEqualTo(port);
    }

    private static short transactionError(FindCoordinatorResponseData response, short version) {
        return version < 4 ? response.errorCode() : response.coordinators().get(0).errorCode();
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void offsetFetchReadsTheCommitOfAnAssignConsumer(short version) throws Exception {
        OffsetFetchRequestData data = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("assigner-a").setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC)
                                .setPartitionIndexes(List.of(0, 1))))));

        OffsetFetchResponseData.OffsetFetchResponseGroup group = offsetFetch(data, version).group("assigner-a");

        assertThat(group.errorCode()).isEqualTo(Errors.NONE.code());
        List<OffsetFetchResponseData.OffsetFetchResponsePartitions> partitions = group.topics().get(0).partitions();
        assertThat(partitions).extracting(OffsetFetchResponseData.OffsetFetchResponsePartitions::committedOffset)
                .containsExactly(17L, -1L);
        assertThat(partitions.get(0).metadata()).isEqualTo("meta");
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {8, 9})
    void offsetFetchReadsSeveralGroupsAtOnce(short version) throws Exception {
        OffsetFetchRequestData data = new OffsetFetchRequestData().setRequireStable(true).setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("assigner-a").setTopics(null),
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("assigner-b").setTopics(null)));

        OffsetFetchResponse response = offsetFetch(data, version);

        assertThat(response.group("assigner-a").topics().get(0).partitions().get(0).committedOffset()).isEqualTo(17);
        assertThat(response.group("assigner-b").topics().get(0).partitions().get(0).committedOffset()).isEqualTo(23);
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(shorts = {0, 1, 2, 3, 4, 5})
    void leaveGroupOfAnUnknownMemberIsAnsweredUnknownMemberId(short version) throws Exception {
        // Below version 3 kafka-clients sends the one member as the request's memberId.
        LeaveGroupRequest request = new LeaveGroupRequest.Builder("assigner-a",
                List.of(new MemberIdentity().setMemberId("nobody"))).build(version);

        LeaveGroupResponseData response;
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            response = ((LeaveGroupResponse) connection.send(request)).data();
        }

        if (version < 3) {
            assertThat(response.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        } else {
            assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(response.members()).extracting(LeaveGroupResponseData.MemberResponse::memberId,
                    LeaveGroupResponseData.MemberResponse::errorCode)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("nobody", Errors.UNKNOWN_MEMBER_ID.code()));
        }
    }

    private static FindCoordinatorResponseData findCoordinator(FindCoordinatorRequestData data, short version)
            throws Exception {
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            return ((FindCoordinatorResponse) connection.send(new FindCoordinatorRequest.Builder(data).build(version)))
                    .data();
        }
    }

    private static OffsetFetchResponse offsetFetch(OffsetFetchRequestData data, short version) throws Exception {
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            return (OffsetFetchResponse) connection.send(
                    OffsetFetchRequest.Builder.forTopicNames(data, data.requireStable()).build(version));
        }
    }
}
