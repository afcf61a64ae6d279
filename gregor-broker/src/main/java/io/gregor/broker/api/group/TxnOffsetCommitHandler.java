package io.gregor.broker.api.group;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.group.GroupCoordinator;
import io.gregor.broker.txn.OffsetsTransactionCheck;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.TxnOffsetCommitRequest;
import io.gregor.protocol.message.TxnOffsetCommitResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * TxnOffsetCommit: a transactional producer commits a group's offsets as part of its
 * transaction (sendOffsetsToTransaction). The offsets are written with the producer's id and
 * epoch and stay pending until the transaction's marker reaches the group's partition. Versions
 * 3+ carry the group generation and member, checked as OffsetCommit checks them; earlier ones
 * commit as a consumer without group membership. First the transaction coordinator confirms that
 * the group's offsets partition is in the producer's transaction, or adds it for v5
 * (transaction V2, {@link OffsetsTransactionCheck}). Needs WRITE on the transactional id, READ
 * on the group (else every partition fails) and READ on each topic (else that topic's partitions fail).
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse> {
    private static final short FIRST_VERSION_OF_TRANSACTION_V2 = 5;
    private static final short FIRST_VERSION_WITH_TRANSACTION_ABORTABLE = 4;

    private final GroupCoordinator coordinator;
    private final OffsetsTransactionCheck transactions;

    public TxnOffsetCommitHandler(GroupCoordinator coordinator, OffsetsTransactionCheck transactions) {
        this.coordinator = coordinator;
        this.transactions = transactions;
    }

    @Override
    public short apiKey() {
        return ApiKey.TXN_OFFSET_COMMIT.id();
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
    public CompletableFuture<TxnOffsetCommitResponse> handle(RequestContext context, TxnOffsetCommitRequest request) {
        short version = context.apiVersion();
        // Kafka checks the transactional id before the group; the producer id is implied by the former.
        if (!context.authorized(AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
            return CompletableFuture.completedFuture(
                    failedAll(request.topics(), Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        if (!context.authorized(AclOperation.READ, AclResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(failedAll(request.topics(), Errors.GROUP_AUTHORIZATION_FAILED));
        }
        List<TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic> refused = new ArrayList<>();
        List<TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic> allowed = new ArrayList<>();
        for (TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic topic : request.topics()) {
            (context.authorized(AclOperation.READ, AclResourceType.TOPIC, topic.name()) ? allowed : refused)
                    .add(topic);
        }
        TxnOffsetCommitResponse refusedResponse = failedAll(refused, Errors.TOPIC_AUTHORIZATION_FAILED);
        if (allowed.isEmpty()) {
            // Nothing to commit: the transaction is neither checked nor given the offsets partition.
            return CompletableFuture.completedFuture(refusedResponse);
        }
        request.setTopics(allowed);
        return transactions.check(request.transactionalId(), request.producerId(), request.producerEpoch(),
                request.groupId(), version >= FIRST_VERSION_OF_TRANSACTION_V2).thenCompose(error -> {
                    if (error != Errors.NONE) {
                        return CompletableFuture.completedFuture(failedAll(allowed, forVersion(error, version)));
                    }
                    return coordinator.onShard(request.groupId(), shard -> shard.transactionalOffsets().commit(request),
                            shardError -> failedAll(allowed, shardError));
                }).thenApply(response -> {
                    response.topics().addAll(refusedResponse.topics());
                    return response;
                });
    }

    /** The coordinator's answer as this version's producer understands it. */
    private static Errors forVersion(Errors error, short version) {
        return switch (error) {
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            case TRANSACTION_ABORTABLE -> version >= FIRST_VERSION_WITH_TRANSACTION_ABORTABLE
                    ? error : Errors.INVALID_TXN_STATE;
            default -> error;
        };
    }

    private static TxnOffsetCommitResponse failedAll(List<TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic> topics,
                                                     Errors error) {
        TxnOffsetCommitResponse response = new TxnOffsetCommitResponse();
        for (TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic topic : topics) {
            TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic topicResponse =
                    new TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic().setName(topic.name());
            for (TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }
}
