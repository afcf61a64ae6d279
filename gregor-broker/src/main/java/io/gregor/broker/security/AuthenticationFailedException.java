package io.gregor.broker.security;

/**
 * A client's SASL exchange failed: bad credentials or a malformed message. The message is sent to
 * the client (Kafka's clients show it), so it never says which of user name or password was wrong.
 */
public final class AuthenticationFailedException extends Exception {
    public AuthenticationFailedException(String message) {
        super(message);
    }
}
