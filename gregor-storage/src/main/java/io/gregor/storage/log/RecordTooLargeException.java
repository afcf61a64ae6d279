package io.gregor.storage.log;

/** One batch is larger than max.message.bytes. Wire error: MESSAGE_TOO_LARGE. */
public final class RecordTooLargeException extends LogException {
    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
