package io.gregor.storage.log;

/** A batch failed its CRC or its framing is broken. Wire error: CORRUPT_MESSAGE. */
public final class CorruptRecordException extends LogException {
    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
