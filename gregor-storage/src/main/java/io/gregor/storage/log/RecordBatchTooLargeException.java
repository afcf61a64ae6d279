package io.gregor.storage.log;

/** The batches of one append do not fit in a segment. Wire error: RECORD_LIST_TOO_LARGE. */
public final class RecordBatchTooLargeException extends LogException {
    public RecordBatchTooLargeException(String message) {
        super(message);
    }

    public RecordBatchTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
