package io.gregor.protocol.wire;

/** Bytes that do not decode as the expected message, or a value the wire format cannot carry. */
public class InvalidMessageException extends RuntimeException {
    public InvalidMessageException(String message) {
        super(message);
    }
}
