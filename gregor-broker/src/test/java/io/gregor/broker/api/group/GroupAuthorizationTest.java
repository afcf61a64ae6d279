package io.gregor.broker.api.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.TestAuthorizer;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.broker.group.GroupCoordinatorConfig;
import io.gregor.metadata.control.ConfigSchema;
import io.gregor.metadata.control.ControllerSettings;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.quorum.LocalMetadataLog;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.JoinGroupRequest;
import io.gregor.protocol.message.OffsetCommitRequest;
import io.gregor.protocol.message.OffsetCommitResponse;
import io.gregor.protocol.message.OffsetFetchRequest;
import io.gregor.protocol.message.OffsetFetchResponse;
import io.gregor.protocol.message.TxnOffsetCommitRequest;
import io.gregor.protocol.message.TxnOffsetCommitResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group APIs refuse before the coordinator sees the request. The coordinator here leads no
 * offsets partition, so whatever reaches it answers NOT_COORDINATOR: an authorization error
 * instead shows it was never asked.
 */
class GroupAuthorizationTest {
    private QuorumController controller;
    private GroupCoordinator coordinator;

    @BeforeEach
    void create(@TempDir Path logDir) throws IOException {
        controller = new QuorumController("cluster", new LocalMetadataLog(logDir),
                new ControllerSettings(1, (short) 1, new ConfigSchema(new ConfigDef(), new ConfigDef())));
        coordinator = new GroupCoordinator(new GroupCoordinatorConfig(1, (short) 1, 0, 100,
                60_000, 3, 4096, 60_000, 20), controller, 1, 1, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        coordinator.close();
        controller.close();
    }

    @Test
    void joinGroupWithoutReadOnTheGroupIsRefused() {
        TestAuthorizer authorizer = new TestAuthorizer("DESCRIBE GROUP g");
        JoinGroupRequest request = new JoinGroupRequest().setGroupId("g").setMemberId("").setProtocolType("consumer")
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000);

        short error = new JoinGroupHandler(coordinator).handle(authorizer.context(ApiKey.JOIN_GROUP.id(), 5), request)
                .join().errorCode();

        assertThat(Errors.forCode(error)).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
    }

    @Test
    void offsetCommitRefusesTheGroupForEveryPartitionThenEachTopicItMayNotRead() {
        OffsetCommitHandler handler = new OffsetCommitHandler(coordinator);

        OffsetCommitResponse noGroup = handler.handle(new TestAuthorizer("READ TOPIC orders", "READ TOPIC secret")
                .context(ApiKey.OFFSET_COMMIT.id(), 8), offsetCommit()).join();
        OffsetCommitResponse oneTopic = handler.handle(new TestAuthorizer("READ GROUP g", "READ TOPIC orders")
                .context(ApiKey.OFFSET_COMMIT.id(), 8), offsetCommit()).join();

        assertThat(commitErrors(noGroup)).containsOnly(Map.entry("orders-0", Errors.GROUP_AUTHORIZATION_FAILED),
                Map.entry("secret-0", Errors.GROUP_AUTHORIZATION_FAILED));
        assertThat(commitErrors(oneTopic)).as("only orders reaches the coordinator")
                .containsOnly(Map.entry("orders-0", Errors.NOT_COORDINATOR),
                        Map.entry("secret-0", Errors.TOPIC_AUTHORIZATION_FAILED));
    }

    @Test
    void offsetFetchWithoutDescribeOnTheGroupFailsAtTheTopOrPerPartitionBeforeVersion2() {
        OffsetFetchHandler handler = new OffsetFetchHandler(coordinator);
        TestAuthorizer authorizer = new TestAuthorizer("DESCRIBE TOPIC orders");

        OffsetFetchResponse v7 = handler.handle(authorizer.context(ApiKey.OFFSET_FETCH.id(), 7), offsetFetch()).join();
        OffsetFetchResponse v1 = handler.handle(authorizer.context(ApiKey.OFFSET_FETCH.id(), 1), offsetFetch()).join();

        assertThat(Errors.forCode(v7.errorCode())).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
        assertThat(v1.topics().get(0).partitions()).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.GROUP_AUTHORIZATION_FAILED);
    }

    @Test
    void txnOffsetCommitChecksTheTransactionalIdThenTheGroupThenTopicsBeforeTheTransaction() {
        List<String> checked = new ArrayList<>();
        TxnOffsetCommitHandler handler = new TxnOffsetCommitHandler(coordinator,
                (transactionalId, producerId, epoch, groupId, add) -> {
                    checked.add(transactionalId);
                    return CompletableFuture.completedFuture(Errors.NONE);
                });

        assertThat(txnCommitErrors(handler, new TestAuthorizer("READ GROUP g", "READ TOPIC orders")))
                .containsOnly(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        assertThat(txnCommitErrors(handler, new TestAuthorizer("WRITE TRANSACTIONAL_ID tx", "READ TOPIC orders")))
                .containsOnly(Errors.GROUP_AUTHORIZATION_FAILED);
        assertThat(txnCommitErrors(handler, new TestAuthorizer("WRITE TRANSACTIONAL_ID tx", "READ GROUP g")))
                .containsOnly(Errors.TOPIC_AUTHORIZATION_FAILED);
        assertThat(checked).as("the transaction coordinator was never asked").isEmpty();
    }

    private static OffsetCommitRequest offsetCommit() {
        OffsetCommitRequest request = new OffsetCommitRequest().setGroupId("g").setGenerationIdOrMemberEpoch(-1)
                .setMemberId("");
        for (String topic : List.of("orders", "secret")) {
            OffsetCommitRequest.OffsetCommitRequestTopic requestTopic =
                    new OffsetCommitRequest.OffsetCommitRequestTopic().setName(topic);
            requestTopic.partitions().add(new OffsetCommitRequest.OffsetCommitRequestPartition()
                    .setPartitionIndex(0).setCommittedOffset(10));
            request.topics().add(requestTopic);
        }
        return request;
    }

    private static OffsetFetchRequest offsetFetch() {
        OffsetFetchRequest request = new OffsetFetchRequest().setGroupId("g");
        request.topics().add(new OffsetFetchRequest.OffsetFetchRequestTopic().setName("orders")
                .setPartitionIndexes(new ArrayList<>(List.of(0))));
        return request;
    }

    private static Map<String, Errors> commitErrors(OffsetCommitResponse response) {
        Map<String, Errors> errors = new LinkedHashMap<>();
        for (OffsetCommitResponse.OffsetCommitResponseTopic topic : response.topics()) {
            for (OffsetCommitResponse.OffsetCommitResponsePartition partition : topic.partitions()) {
                errors.put(topic.name() + "-" + partition.partitionIndex(), Errors.forCode(partition.errorCode()));
            }
        }
        return errors;
    }

    private static List<Errors> txnCommitErrors(TxnOffsetCommitHandler handler, TestAuthorizer authorizer) {
        TxnOffsetCommitRequest request = new TxnOffsetCommitRequest().setTransactionalId("tx").setGroupId("g")
                .setProducerId(5).setProducerEpoch((short) 1);
        TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic topic =
                new TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic().setName("secret");
        topic.partitions().add(new TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition().setPartitionIndex(0));
        request.topics().add(topic);
        TxnOffsetCommitResponse response = handler.handle(authorizer.context(ApiKey.TXN_OFFSET_COMMIT.id(), 4),
                request).join();
        return response.topics().stream().flatMap(t -> t.partitions().stream())
                .map(p -> Errors.forCode(p.errorCode())).toList();
    }
}
