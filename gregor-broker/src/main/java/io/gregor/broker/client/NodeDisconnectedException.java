package io.gregor.broker.client;

import java.io.IOException;

/**
 * A request's connection could not be made, or was lost before its response arrived. The request
 * may or may not have been processed by the other node; retrying is the caller's decision.
 */
public final class NodeDisconnectedException extends IOException {
    private static final long serialVersionUID = 1L;

    public NodeDisconnectedException(String message) {
        super(message);
    }

    public NodeDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
