package io.gregor.storage.producer;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;

/** A batch's sequence does not follow the producer's last one. Wire error: OUT_OF_ORDER_SEQUENCE_NUMBER. */
public final class OutOfOrderSequenceException extends ApiException {
    public OutOfOrderSequenceException(String message) {
        super(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, message);
    }
}
