package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;

/** One batch is larger than max.message.bytes. Wire error: MESSAGE_TOO_LARGE. */
public final class RecordTooLargeException extends LogException {
    public RecordTooLargeException(String message) {
        super(Errors.MESSAGE_TOO_LARGE, message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(Errors.MESSAGE_TOO_LARGE, message, cause);
    }
}
