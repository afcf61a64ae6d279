package io.gregor.metadata.record;

/** Bytes that should hold metadata records do not decode: corrupt, or written by a newer version. */
public class CorruptMetadataException extends RuntimeException {
    public CorruptMetadataException(String message) {
        super(message);
    }

    public CorruptMetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
