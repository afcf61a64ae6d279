package io.gregor.metadata.quorum;

/**
 * The nodes of a cluster are not configured as one quorum: another voter lists other voters in
 * {@code controller.quorum.voters}, or belongs to another cluster. The node stops.
 */
public class InconsistentQuorumException extends RuntimeException {
    public InconsistentQuorumException(String message) {
        super(message);
    }
}
