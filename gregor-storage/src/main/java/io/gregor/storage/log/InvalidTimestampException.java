package io.gregor.storage.log;

/** A CreateTime timestamp lies outside message.timestamp.before/after.max.ms. Wire error: INVALID_TIMESTAMP. */
public final class InvalidTimestampException extends LogException {
    public InvalidTimestampException(String message) {
        super(message);
    }
}
