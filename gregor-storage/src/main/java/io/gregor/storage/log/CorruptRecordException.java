package io.gregor.storage.log;

import io.gregor.protocol.error.Errors;

/** A batch failed its CRC or its framing is broken. Wire error: CORRUPT_MESSAGE. */
public final class CorruptRecordException extends LogException {
    public CorruptRecordException(String message) {
        super(Errors.CORRUPT_MESSAGE, message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(Errors.CORRUPT_MESSAGE, message, cause);
    }
}
