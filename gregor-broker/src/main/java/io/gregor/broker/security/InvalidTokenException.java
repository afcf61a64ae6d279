package io.gregor.broker.security;

import java.util.Optional;

/**
 * A bearer token failed a check. The reason goes to the client (a token is the client's own, so
 * its content is no secret to it) and to the broker's log.
 */
final class InvalidTokenException extends Exception {
    private final Optional<String> missingScope;

    InvalidTokenException(String reason) {
        this(reason, Optional.empty());
    }

    /** @param missingScope the scope the client needs and its token lacks, for the RFC 7628 error */
    InvalidTokenException(String reason, Optional<String> missingScope) {
        super(reason);
        this.missingScope = missingScope;
    }

    /**
     * The RFC 7628 error the server sends before failing the exchange, as Kafka's brokers write it:
     * {@code {"status":"invalid_token"}}, or insufficient_scope with the scope needed.
     */
    String jsonError() {
        return missingScope.map(scope -> "{\"status\":\"insufficient_scope\", \"scope\":\"" + scope + "\"}")
                .orElse("{\"status\":\"invalid_token\"}");
    }
}
