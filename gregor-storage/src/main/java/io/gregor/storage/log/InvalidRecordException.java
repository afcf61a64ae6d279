package io.gregor.storage.log;

/** A batch is well-formed but not acceptable (magic other than 2, bad counts). Wire error: INVALID_RECORD. */
public final class InvalidRecordException extends LogException {
    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
