package io.gregor.metadata.quorum;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.util.OptionalInt;

/**
 * This node is not the active controller (the Raft leader), so it cannot write metadata. Carries
 * {@link Errors#NOT_CONTROLLER} and, when known, the leader to retry on.
 */
public class NotControllerException extends ApiException {
    private final OptionalInt leaderId;

    public NotControllerException(String message, OptionalInt leaderId) {
        super(Errors.NOT_CONTROLLER, message);
        this.leaderId = leaderId;
    }

    /** The node id of the current leader, if this node knows one. */
    public OptionalInt leaderId() {
        return leaderId;
    }
}
