package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;

/** The batches of one append do not fit in a segment. Wire error: RECORD_LIST_TOO_LARGE. */
public final class RecordBatchTooLargeException extends LogException {
    public RecordBatchTooLargeException(String message) {
        super(Errors.RECORD_LIST_TOO_LARGE, message);
    }

    public RecordBatchTooLargeException(String message, Throwable cause) {
        super(Errors.RECORD_LIST_TOO_LARGE, message, cause);
    }
}
