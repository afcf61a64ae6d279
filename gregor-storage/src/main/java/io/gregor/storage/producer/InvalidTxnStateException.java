package io.gregor.storage.producer;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;

/**
 * A producer with an open transaction in the partition sends a non-transactional batch.
 * Wire error: INVALID_TXN_STATE.
 */
public final class InvalidTxnStateException extends ApiException {
    public InvalidTxnStateException(String message) {
        super(Errors.INVALID_TXN_STATE, message);
    }
}
