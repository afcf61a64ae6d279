package io.gregor.broker.api.txn;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.txn.coordinator.AddMode;
import io.gregor.broker.txn.coordinator.TransactionCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.InternalTopics;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AddPartitionsToTxnRequest;
import io.gregor.protocol.message.AddPartitionsToTxnResponse;
import io.gregor.protocol.message.ApiKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AddPartitionsToTxn. Versions 0-3 come from a transaction-V1 producer adding partitions before
 * it writes to them; versions 4+ come from brokers, batch several transactions, and may only
 * verify (KIP-890 part 1). A partition that does not exist fails with UNKNOWN_TOPIC_OR_PARTITION
 * and the rest of its transaction with OPERATION_NOT_ATTEMPTED; otherwise the coordinator's one
 * answer goes to every partition of the transaction. A producer needs WRITE on its transactional
 * id and on each topic (an unauthorized topic fails like an unknown one, with
 * TOPIC_AUTHORIZATION_FAILED, and so does an internal topic); a broker needs CLUSTER_ACTION, else
 * the whole request fails.
 */
public final class AddPartitionsToTxnHandler
        implements ApiHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> {
    private static final short FIRST_BROKER_VERSION = 4;
    private static final int FIRST_VERSION_WITH_PRODUCER_FENCED = 2;
    private static final int FIRST_VERSION_WITH_TRANSACTION_ABORTABLE = 5;

    private final TransactionCoordinator coordinator;
    private final QuorumController controller;

    public AddPartitionsToTxnHandler(TransactionCoordinator coordinator, QuorumController controller) {
        this.coordinator = coordinator;
        this.controller = controller;
    }

    @Override
    public short apiKey() {
        return ApiKey.ADD_PARTITIONS_TO_TXN.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<AddPartitionsToTxnResponse> handle(RequestContext context,
                                                                AddPartitionsToTxnRequest request) {
        short version = context.apiVersion();
        if (version < FIRST_BROKER_VERSION) {
            return add(context, request.v3AndBelowTransactionalId(), request.v3AndBelowProducerId(),
                    request.v3AndBelowProducerEpoch(), request.v3AndBelowTopics(), AddMode.CLIENT)
                    .thenApply(results -> new AddPartitionsToTxnResponse().setResultsByTopicV3AndBelow(results));
        }
        // Only brokers send these versions, on behalf of producers whose writes they authorized.
        if (!context.authorizedOnCluster(AclOperation.CLUSTER_ACTION)) {
            return CompletableFuture.completedFuture(new AddPartitionsToTxnResponse()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        List<CompletableFuture<AddPartitionsToTxnResponse.AddPartitionsToTxnResult>> perTransaction = new ArrayList<>();
        for (AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction transaction : request.transactions()) {
            AddMode mode = transaction.verifyOnly() ? AddMode.VERIFY : AddMode.PRODUCE_ADD;
            perTransaction.add(add(context, transaction.transactionalId(), transaction.producerId(),
                    transaction.producerEpoch(), transaction.topics(), mode)
                    .thenApply(results -> new AddPartitionsToTxnResponse.AddPartitionsToTxnResult()
                            .setTransactionalId(transaction.transactionalId())
                            .setTopicResults(results)));
        }
        return CompletableFuture.allOf(perTransaction.toArray(CompletableFuture[]::new)).thenApply(done ->
                new AddPartitionsToTxnResponse().setResultsByTransaction(
                        perTransaction.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult>> add(
            RequestContext context, String transactionalId, long producerId, short producerEpoch,
            List<AddPartitionsToTxnRequest.AddPartitionsToTxnTopic> topics, AddMode mode) {
        short version = context.apiVersion();
        // A producer's own request needs WRITE on its transactional id and topics; a broker's was checked above.
        boolean fromProducer = version < FIRST_BROKER_VERSION;
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (AddPartitionsToTxnRequest.AddPartitionsToTxnTopic topic : topics) {
            topic.partitions().forEach(index -> partitions.add(new TopicPartition(topic.name(), index)));
        }
        if (fromProducer
                && !context.authorized(AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, transactionalId)) {
            return CompletableFuture.completedFuture(results(sameError(partitions,
                    Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)));
        }
        MetadataImage image = controller.image();
        Map<TopicPartition, Errors> refused = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            // As Kafka: a producer may not add an internal topic to its transaction, whatever its ACLs.
            if (fromProducer && (InternalTopics.isInternal(partition.topic())
                    || !context.authorized(AclOperation.WRITE, AclResourceType.TOPIC, partition.topic()))) {
                refused.put(partition, Errors.TOPIC_AUTHORIZATION_FAILED);
            } else if (image.topic(partition.topic()).flatMap(t -> t.partition(partition.partition())).isEmpty()) {
                refused.put(partition, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        if (!refused.isEmpty()) {
            Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
            partitions.forEach(p -> errors.put(p, refused.getOrDefault(p, Errors.OPERATION_NOT_ATTEMPTED)));
            return CompletableFuture.completedFuture(results(errors));
        }
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(results(sameError(partitions, Errors.INVALID_REQUEST)));
        }
        return coordinator.addPartitions(transactionalId, producerId, producerEpoch, partitions, mode)
                .thenApply(error -> results(sameError(partitions, TransactionErrors.forVersion(error, version,
                        FIRST_VERSION_WITH_PRODUCER_FENCED, FIRST_VERSION_WITH_TRANSACTION_ABORTABLE))));
    }

    private static Map<TopicPartition, Errors> sameError(Set<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
        partitions.forEach(p -> errors.put(p, error));
        return errors;
    }

    private static List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult> results(
            Map<TopicPartition, Errors> errors) {
        Map<String, AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult> byTopic = new LinkedHashMap<>();
        errors.forEach((partition, error) -> byTopic.computeIfAbsent(partition.topic(),
                        name -> new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult().setName(name))
                .resultsByPartition().add(new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult()
                        .setPartitionIndex(partition.partition())
                        .setPartitionErrorCode(error.code())));
        return new ArrayList<>(byTopic.values());
    }
}
