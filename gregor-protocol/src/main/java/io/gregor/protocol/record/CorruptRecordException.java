package io.gregor.protocol.record;

/** A batch or record whose bytes do not match its declared sizes or its CRC. */
public class CorruptRecordException extends RuntimeException {
    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
