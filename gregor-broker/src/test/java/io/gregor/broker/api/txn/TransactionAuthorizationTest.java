package io.gregor.broker.api.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.TestAuthorizer;
import io.gregor.broker.api.admin.MetadataFixture;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AddPartitionsToTxnRequest;
import io.gregor.protocol.message.AddPartitionsToTxnResponse;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.EndTxnRequest;
import io.gregor.protocol.message.InitProducerIdRequest;
import io.gregor.protocol.message.InitProducerIdResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction APIs refuse what the principal may not do before reaching the transaction
 * coordinator or the producer id manager: both are null here, so reaching them would fail.
 */
class TransactionAuthorizationTest {
    @TempDir
    Path dataDir;
    private MetadataFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MetadataFixture(dataDir);
        fixture.controller().createTopics(List.of(CreatableTopic.of("orders", 2, (short) 1),
                CreatableTopic.of("secret", 1, (short) 1)), false).join();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aProducerAddingATopicItMayNotWriteGetsTopicAuthorizationFailedAndTheRestIsNotAttempted() {
        TestAuthorizer authorizer = new TestAuthorizer("WRITE TRANSACTIONAL_ID tx", "WRITE TOPIC orders");

        AddPartitionsToTxnResponse response = addPartitions(authorizer, 3);

        assertThat(errors(response.resultsByTopicV3AndBelow())).containsExactly(
                Map.entry("orders-0", Errors.OPERATION_NOT_ATTEMPTED),
                Map.entry("orders-1", Errors.OPERATION_NOT_ATTEMPTED),
                Map.entry("secret-0", Errors.TOPIC_AUTHORIZATION_FAILED));
    }

    @Test
    void aProducerMayNotAddAnInternalTopicEvenWithWriteOnIt() {
        TestAuthorizer authorizer = new TestAuthorizer("WRITE TRANSACTIONAL_ID tx", "WRITE TOPIC orders",
                "WRITE TOPIC __consumer_offsets");
        AddPartitionsToTxnRequest request = new AddPartitionsToTxnRequest().setV3AndBelowTransactionalId("tx")
                .setV3AndBelowProducerId(5).setV3AndBelowProducerEpoch((short) 1)
                .setV3AndBelowTopics(new ArrayList<>(List.of(
                        new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic().setName("orders")
                                .setPartitions(new ArrayList<>(List.of(0))),
                        new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic().setName("__consumer_offsets")
                                .setPartitions(new ArrayList<>(List.of(0))))));

        AddPartitionsToTxnResponse response = new AddPartitionsToTxnHandler(null, fixture.controller())
                .handle(authorizer.context(ApiKey.ADD_PARTITIONS_TO_TXN.id(), 3), request).join();

        assertThat(errors(response.resultsByTopicV3AndBelow())).containsExactly(
                Map.entry("orders-0", Errors.OPERATION_NOT_ATTEMPTED),
                Map.entry("__consumer_offsets-0", Errors.TOPIC_AUTHORIZATION_FAILED));
    }

    @Test
    void aProducerWithoutWriteOnItsTransactionalIdFailsEveryPartition() {
        AddPartitionsToTxnResponse response = addPartitions(new TestAuthorizer("WRITE TOPIC orders",
                "WRITE TOPIC secret"), 3);

        assertThat(errors(response.resultsByTopicV3AndBelow()).values())
                .containsOnly(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED).hasSize(3);
    }

    @Test
    void theBrokerVersionsNeedClusterActionAndFailAsAWhole() {
        AddPartitionsToTxnResponse response = addPartitions(new TestAuthorizer("WRITE TRANSACTIONAL_ID tx",
                "WRITE TOPIC orders", "WRITE TOPIC secret"), 4);

        assertThat(response.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(response.resultsByTransaction()).isEmpty();
    }

    @Test
    void initProducerIdNeedsWriteOnTheTransactionalId() {
        InitProducerIdResponse response = initProducerId(new TestAuthorizer("WRITE TOPIC orders"),
                new InitProducerIdRequest().setTransactionalId("tx").setProducerId(-1).setProducerEpoch((short) -1));

        assertThat(response.errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        assertThat(response.producerId()).isEqualTo(-1);
    }

    @Test
    void anIdempotentProducerNeedsIdempotentWriteOrWriteOnSomeTopic() {
        InitProducerIdRequest bump = new InitProducerIdRequest().setTransactionalId(null).setProducerId(5)
                .setProducerEpoch((short) 1);

        assertThat(initProducerId(new TestAuthorizer("READ TOPIC orders"), bump).errorCode())
                .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(initProducerId(new TestAuthorizer("WRITE TOPIC secret"), bump).producerEpoch())
                .as("KIP-679: WRITE on a topic is enough").isEqualTo((short) 2);
        assertThat(initProducerId(new TestAuthorizer("IDEMPOTENT_WRITE CLUSTER kafka-cluster"), bump).producerEpoch())
                .isEqualTo((short) 2);
    }

    @Test
    void endTxnNeedsWriteOnTheTransactionalId() {
        EndTxnHandler handler = new EndTxnHandler(null);
        TestAuthorizer authorizer = new TestAuthorizer("DESCRIBE TRANSACTIONAL_ID tx");

        short error = handler.handle(authorizer.context(ApiKey.END_TXN.id(), 4),
                new EndTxnRequest().setTransactionalId("tx").setProducerId(5).setProducerEpoch((short) 1)
                        .setCommitted(true)).join().errorCode();

        assertThat(error).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
    }

    private AddPartitionsToTxnResponse addPartitions(TestAuthorizer authorizer, int version) {
        List<AddPartitionsToTxnRequest.AddPartitionsToTxnTopic> topics = new ArrayList<>(List.of(
                new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic().setName("orders")
                        .setPartitions(new ArrayList<>(List.of(0, 1))),
                new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic().setName("secret")
                        .setPartitions(new ArrayList<>(List.of(0)))));
        AddPartitionsToTxnRequest request = new AddPartitionsToTxnRequest();
        if (version < 4) {
            request.setV3AndBelowTransactionalId("tx").setV3AndBelowProducerId(5)
                    .setV3AndBelowProducerEpoch((short) 1).setV3AndBelowTopics(topics);
        } else {
            request.transactions().add(new AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction()
                    .setTransactionalId("tx").setProducerId(5).setProducerEpoch((short) 1).setVerifyOnly(true)
                    .setTopics(topics));
        }
        return new AddPartitionsToTxnHandler(null, fixture.controller())
                .handle(authorizer.context(ApiKey.ADD_PARTITIONS_TO_TXN.id(), version), request).join();
    }

    private InitProducerIdResponse initProducerId(TestAuthorizer authorizer, InitProducerIdRequest request) {
        return new InitProducerIdHandler(null, null, Runnable::run)
                .handle(authorizer.context(ApiKey.INIT_PRODUCER_ID.id(), 4), request).join();
    }

    private static Map<String, Errors> errors(List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult> topics) {
        Map<String, Errors> errors = new LinkedHashMap<>();
        for (AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult topic : topics) {
            for (AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult partition : topic.resultsByPartition()) {
                errors.put(topic.name() + "-" + partition.partitionIndex(), Errors.forCode(partition.partitionErrorCode()));
            }
        }
        return errors;
    }
}
