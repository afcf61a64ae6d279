package io.gregor.broker.api.txn;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.txn.ProducerIdManager;
import io.gregor.broker.txn.coordinator.TransactionCoordinator;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.InitProducerIdRequest;
import io.gregor.protocol.message.InitProducerIdResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * InitProducerId. Without a transactional id (an idempotent producer, the kafka-clients
 * default): a fresh producer id at epoch 0, or the same id at the next epoch when a producer asks
 * to bump its epoch after an error. With one: the transaction coordinator of that id answers,
 * bumping the epoch of the id's producer (which fences older instances), aborting a transaction
 * left open, and recognising a producer that recovers from an error with its current id and
 * epoch (KIP-360). Needs WRITE on the transactional id, or for an idempotent producer the rights
 * of {@link #mayWriteIdempotently}.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequest, InitProducerIdResponse> {
    /** PRODUCER_FENCED (KIP-588) is known from version 4; older producers get INVALID_PRODUCER_EPOCH. */
    private static final int FIRST_VERSION_WITH_PRODUCER_FENCED = 4;

    private final ProducerIdManager producerIds;
    private final TransactionCoordinator transactions;
    private final Executor ioExecutor;

    public InitProducerIdHandler(ProducerIdManager producerIds, TransactionCoordinator transactions,
                                 Executor ioExecutor) {
        this.producerIds = producerIds;
        this.transactions = transactions;
        this.ioExecutor = ioExecutor;
    }

    @Override
    public short apiKey() {
        return ApiKey.INIT_PRODUCER_ID.id();
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
    public CompletableFuture<InitProducerIdResponse> handle(RequestContext context, InitProducerIdRequest request) {
        String transactionalId = request.transactionalId();
        if (transactionalId != null) {
            if (transactionalId.isEmpty()) {
                return CompletableFuture.completedFuture(failed(Errors.INVALID_REQUEST));
            }
            if (!context.authorized(AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, transactionalId)) {
                return CompletableFuture.completedFuture(failed(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
            }
            return transactions.initProducerId(transactionalId, request.transactionTimeoutMs(), request.producerId(),
                    request.producerEpoch()).thenApply(result -> result.error() == Errors.NONE
                    ? new InitProducerIdResponse().setProducerId(result.producerId())
                            .setProducerEpoch(result.producerEpoch())
                    : failed(TransactionErrors.forVersion(result.error(), context.apiVersion(),
                            FIRST_VERSION_WITH_PRODUCER_FENCED, Integer.MAX_VALUE)));
        }
        if (!mayWriteIdempotently(context)) {
            return CompletableFuture.completedFuture(failed(Errors.CLUSTER_AUTHORIZATION_FAILED));
        }
        boolean bump = request.producerId() >= 0 && request.producerEpoch() >= 0
                && request.producerEpoch() < Short.MAX_VALUE - 1;
        if (bump) {
            return CompletableFuture.completedFuture(new InitProducerIdResponse()
                    .setProducerId(request.producerId())
                    .setProducerEpoch((short) (request.producerEpoch() + 1)));
        }
        // Reserving a new block fsyncs a file: keep that off the network thread.
        return CompletableFuture.supplyAsync(() -> new InitProducerIdResponse()
                .setProducerId(producerIds.nextProducerId())
                .setProducerEpoch((short) 0), ioExecutor);
    }

    /** An idempotent producer needs IDEMPOTENT_WRITE on the cluster or, since KIP-679, WRITE on some topic. */
    private static boolean mayWriteIdempotently(RequestContext context) {
        return context.authorizedOnCluster(AclOperation.IDEMPOTENT_WRITE)
                || context.authorizedOnAny(AclOperation.WRITE, AclResourceType.TOPIC);
    }

    private static InitProducerIdResponse failed(Errors error) {
        return new InitProducerIdResponse().setErrorCode(error.code()).setProducerId(-1).setProducerEpoch((short) -1);
    }
}
