package io.gregor.storage.producer;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;

/**
 * A transaction marker comes from a coordinator epoch older than the one that wrote the
 * producer's last marker here: a stale coordinator. Wire error: TRANSACTION_COORDINATOR_FENCED.
 */
public final class TransactionCoordinatorFencedException extends ApiException {
    public TransactionCoordinatorFencedException(String message) {
        super(Errors.TRANSACTION_COORDINATOR_FENCED, message);
    }
}
