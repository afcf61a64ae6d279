package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;

/** A batch is well-formed but not acceptable (magic other than 2, bad counts). Wire error: INVALID_RECORD. */
public final class InvalidRecordException extends LogException {
    public InvalidRecordException(String message) {
        super(Errors.INVALID_RECORD, message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(Errors.INVALID_RECORD, message, cause);
    }
}
