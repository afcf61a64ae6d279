package io.gregor.broker.api.txn;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.txn.coordinator.TransactionCoordinator;
import io.gregor.broker.txn.coordinator.TransactionMetadata;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeTransactionsRequest;
import io.gregor.protocol.message.DescribeTransactionsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeTransactions: the state, producer, timeout and partitions of each transactional id
 * asked for. Each id is answered on its own: NOT_COORDINATOR when another broker coordinates it,
 * TRANSACTIONAL_ID_NOT_FOUND when no producer uses it, TRANSACTIONAL_ID_AUTHORIZATION_FAILED
 * without DESCRIBE on it.
 */
public final class DescribeTransactionsHandler
        implements ApiHandler<DescribeTransactionsRequest, DescribeTransactionsResponse> {
    private final TransactionCoordinator coordinator;

    public DescribeTransactionsHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_TRANSACTIONS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<DescribeTransactionsResponse> handle(RequestContext context,
                                                                  DescribeTransactionsRequest request) {
        List<CompletableFuture<DescribeTransactionsResponse.TransactionState>> answers = new ArrayList<>();
        for (String transactionalId : request.transactionalIds()) {
            if (!context.authorized(AclOperation.DESCRIBE, AclResourceType.TRANSACTIONAL_ID, transactionalId)) {
                answers.add(CompletableFuture.completedFuture(unknownState(transactionalId,
                        Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)));
                continue;
            }
            answers.add(coordinator.describe(transactionalId).thenApply(described -> {
                DescribeTransactionsResponse.TransactionState state = unknownState(transactionalId, described.error());
                described.transaction().ifPresent(txn -> describe(context, state, txn));
                return state;
            }));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done ->
                new DescribeTransactionsResponse().setTransactionStates(
                        answers.stream().map(CompletableFuture::join).toList()));
    }

    private static DescribeTransactionsResponse.TransactionState unknownState(String transactionalId, Errors error) {
        return new DescribeTransactionsResponse.TransactionState()
                .setTransactionalId(transactionalId)
                .setErrorCode(error.code())
                .setTransactionState("")
                .setProducerId(-1)
                .setProducerEpoch((short) -1)
                .setTransactionStartTimeMs(-1);
    }

    /** The transaction, showing only the partitions of topics the principal may describe, as Kafka does. */
    private static void describe(RequestContext context, DescribeTransactionsResponse.TransactionState state,
                                 TransactionMetadata txn) {
        state.setTransactionState(txn.state().wireName())
                .setTransactionTimeoutMs(txn.timeoutMs())
                .setTransactionStartTimeMs(txn.startTimeMs())
                .setProducerId(txn.producerId())
                .setProducerEpoch(txn.producerEpoch());
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition partition : txn.partitions()) {
            if (!context.authorized(AclOperation.DESCRIBE, AclResourceType.TOPIC, partition.topic())) {
                continue;
            }
            byTopic.computeIfAbsent(partition.topic(), topic -> new ArrayList<>()).add(partition.partition());
        }
        byTopic.forEach((topic, partitions) -> state.topics().add(new DescribeTransactionsResponse.TopicData()
                .setTopic(topic)
                .setPartitions(partitions.stream().sorted().toList())));
    }
}
