package io.gregor.metadata.quorum;

/** The metadata quorum could not commit a batch, for a reason other than this node not leading. */
public class MetadataQuorumException extends RuntimeException {
    public MetadataQuorumException(String message) {
        super(message);
    }

    public MetadataQuorumException(String message, Throwable cause) {
        super(message, cause);
    }
}
