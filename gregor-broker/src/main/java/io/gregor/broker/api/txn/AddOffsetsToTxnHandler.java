package io.gregor.broker.api.txn;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.txn.coordinator.AddMode;
import io.gregor.broker.txn.coordinator.TransactionCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AddOffsetsToTxnRequest;
import io.gregor.protocol.message.AddOffsetsToTxnResponse;
import io.gregor.protocol.message.ApiKey;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * AddOffsetsToTxn: a producer about to commit a consumer group's offsets in its transaction
 * (TxnOffsetCommit) adds the group's {@code __consumer_offsets} partition, so that the markers
 * ending the transaction reach the group coordinator too. Needs WRITE on the transactional id
 * and READ on the group.
 */
public final class AddOffsetsToTxnHandler implements ApiHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> {
    private static final int FIRST_VERSION_WITH_PRODUCER_FENCED = 2;
    private static final int FIRST_VERSION_WITH_TRANSACTION_ABORTABLE = 4;

    private final TransactionCoordinator coordinator;

    public AddOffsetsToTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.ADD_OFFSETS_TO_TXN.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<AddOffsetsToTxnResponse> handle(RequestContext context, AddOffsetsToTxnRequest request) {
        if (!context.authorized(AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponse()
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        }
        if (!context.authorized(AclOperation.READ, AclResourceType.GROUP, request.groupId())) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponse()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponse()
                    .setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        return coordinator.addPartitions(request.transactionalId(), request.producerId(), request.producerEpoch(),
                Set.of(coordinator.offsetsPartitionFor(request.groupId())), AddMode.CLIENT)
                .thenApply(error -> new AddOffsetsToTxnResponse().setErrorCode(TransactionErrors.forVersion(error,
                        context.apiVersion(), FIRST_VERSION_WITH_PRODUCER_FENCED,
                        FIRST_VERSION_WITH_TRANSACTION_ABORTABLE).code()));
    }
}
