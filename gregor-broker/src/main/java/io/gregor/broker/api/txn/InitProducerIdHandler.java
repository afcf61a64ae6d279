package io.gregor.broker.api.txn;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.txn.ProducerIdManager;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.InitProducerIdRequest;
import io.gregor.protocol.message.InitProducerIdResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * InitProducerId for idempotent producers (the kafka-clients default): a fresh producer id at
 * epoch 0, or the same id at the next epoch when a producer asks to bump its epoch after an
 * error. Transactional ids need the transaction coordinator, which does not exist yet: they
 * are refused with INVALID_REQUEST rather than left waiting.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequest, InitProducerIdResponse> {
    private final ProducerIdManager producerIds;
    private final Executor ioExecutor;

    public InitProducerIdHandler(ProducerIdManager producerIds, Executor ioExecutor) {
        this.producerIds = producerIds;
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
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponse()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setProducerId(-1)
                    .setProducerEpoch((short) -1));
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
}
