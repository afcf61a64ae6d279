package io.gregor.metadata.control;

/** The metadata log could not be read or written; the controller cannot go on. */
public class MetadataLogException extends RuntimeException {
    public MetadataLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
