package io.gregor.broker.txn;

import io.gregor.broker.client.NodeClient;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AddPartitionsToTxnRequest;
import io.gregor.protocol.message.AddPartitionsToTxnResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link RemoteTransactionCoordinator} over the cluster's inter-broker connections: one
 * AddPartitionsToTxn v5 request (the broker version: transactions batched, {@code verifyOnly})
 * per question. An unreachable coordinator answers NOT_COORDINATOR, which the Produce path turns
 * into a retriable error. Thread-safe.
 */
public final class BrokerTransactionCoordinatorClient implements RemoteTransactionCoordinator {
    private static final short ADD_PARTITIONS_TO_TXN_VERSION = 5;

    private final BrokerChannels brokers;

    public BrokerTransactionCoordinatorClient(BrokerChannels brokers) {
        this.brokers = brokers;
    }

    @Override
    public CompletableFuture<Errors> addPartition(int coordinatorId, String transactionalId, long producerId,
                                                  short producerEpoch, TopicPartition partition, boolean verifyOnly) {
        Optional<NodeClient> client = brokers.to(coordinatorId);
        if (client.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.NOT_COORDINATOR);
        }
        AddPartitionsToTxnRequest request = new AddPartitionsToTxnRequest().setTransactions(List.of(
                new AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction()
                        .setTransactionalId(transactionalId)
                        .setProducerId(producerId)
                        .setProducerEpoch(producerEpoch)
                        .setVerifyOnly(verifyOnly)
                        .setTopics(new ArrayList<>(List.of(new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic()
                                .setName(partition.topic())
                                .setPartitions(new ArrayList<>(List.of(partition.partition()))))))));
        return client.get().<AddPartitionsToTxnResponse>send(request, ADD_PARTITIONS_TO_TXN_VERSION)
                .handle((response, failure) -> failure != null ? Errors.NOT_COORDINATOR : errorOf(response, partition));
    }

    private static Errors errorOf(AddPartitionsToTxnResponse response, TopicPartition partition) {
        if (response.errorCode() != Errors.NONE.code()) {
            return Errors.forCode(response.errorCode());
        }
        for (AddPartitionsToTxnResponse.AddPartitionsToTxnResult transaction : response.resultsByTransaction()) {
            for (AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult topic : transaction.topicResults()) {
                for (AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult result : topic.resultsByPartition()) {
                    if (topic.name().equals(partition.topic()) && result.partitionIndex() == partition.partition()) {
                        return Errors.forCode(result.partitionErrorCode());
                    }
                }
            }
        }
        return Errors.NOT_COORDINATOR;
    }
}
