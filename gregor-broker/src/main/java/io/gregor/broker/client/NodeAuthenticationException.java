package io.gregor.broker.client;

import java.io.IOException;

/**
 * A connection's SASL authentication failed (wrong credentials, a mechanism the other node does
 * not offer, a server that could not prove it knows the SCRAM credential), so the requests that
 * waited for it were not sent. The client tries again after its reconnect backoff.
 */
public final class NodeAuthenticationException extends IOException {
    private static final long serialVersionUID = 1L;

    public NodeAuthenticationException(String message) {
        super(message);
    }
}
