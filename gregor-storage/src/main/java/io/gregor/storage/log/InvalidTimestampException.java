package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;

/** A CreateTime timestamp lies outside message.timestamp.before/after.max.ms. Wire error: INVALID_TIMESTAMP. */
public final class InvalidTimestampException extends LogException {
    public InvalidTimestampException(String message) {
        super(Errors.INVALID_TIMESTAMP, message);
    }
}
