package io.gregor.storage.producer;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;

/**
 * A batch carries an epoch older than the one the partition knows for its producer id (a newer
 * InitProducerId has superseded the sender). Wire error: INVALID_PRODUCER_EPOCH; as in Kafka since
 * 2.7, the produce path reports this rather than the fatal PRODUCER_FENCED.
 */
public final class InvalidProducerEpochException extends ApiException {
    public InvalidProducerEpochException(String message) {
        super(Errors.INVALID_PRODUCER_EPOCH, message);
    }
}
