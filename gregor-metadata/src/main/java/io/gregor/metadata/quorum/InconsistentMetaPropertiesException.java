package io.gregor.metadata.quorum;

/** A data directory's meta.properties does not match the node's configuration, or is unreadable. */
public class InconsistentMetaPropertiesException extends RuntimeException {
    public InconsistentMetaPropertiesException(String message) {
        super(message);
    }
}
