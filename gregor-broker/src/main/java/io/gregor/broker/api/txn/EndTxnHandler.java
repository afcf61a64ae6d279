package io.gregor.broker.api.txn;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.txn.coordinator.TransactionCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.EndTxnRequest;
import io.gregor.protocol.message.EndTxnResponse;
import java.util.concurrent.CompletableFuture;

/**
 * EndTxn: commits or aborts a producer's transaction. Answered once the decision is durable; the
 * markers follow. Version 5 is transaction V2 (KIP-890 part 2): the epoch is bumped at every
 * end and the response carries the producer id and epoch to use for the next transaction. Needs
 * WRITE on the transactional id.
 */
public final class EndTxnHandler implements ApiHandler<EndTxnRequest, EndTxnResponse> {
    private static final int FIRST_VERSION_WITH_PRODUCER_FENCED = 2;
    private static final int FIRST_VERSION_WITH_TRANSACTION_ABORTABLE = 4;
    private static final short FIRST_VERSION_OF_TRANSACTION_V2 = 5;

    private final TransactionCoordinator coordinator;

    public EndTxnHandler(TransactionCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public short apiKey() {
        return ApiKey.END_TXN.id();
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
    public CompletableFuture<EndTxnResponse> handle(RequestContext context, EndTxnRequest request) {
        if (!context.authorized(AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
            return CompletableFuture.completedFuture(new EndTxnResponse()
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
        }
        boolean v2 = context.apiVersion() >= FIRST_VERSION_OF_TRANSACTION_V2;
        return coordinator.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                request.committed(), v2).thenApply(result -> new EndTxnResponse()
                .setErrorCode(TransactionErrors.forVersion(result.error(), context.apiVersion(),
                        FIRST_VERSION_WITH_PRODUCER_FENCED, FIRST_VERSION_WITH_TRANSACTION_ABORTABLE).code())
                .setProducerId(result.producerId())
                .setProducerEpoch(result.producerEpoch()));
    }
}
