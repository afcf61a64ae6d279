package io.gregor.broker.security;

import java.nio.charset.StandardCharsets;

/**
 * SASL PLAIN (RFC 4616), server side: one client message {@code [authzid] NUL authcid NUL passwd},
 * checked against {@link PlainUsers}. As in Kafka, an authorization id other than the user's own
 * is refused. Send it only over TLS (SASL_SSL) where the network is not trusted: the password
 * travels as it is.
 */
final class PlainExchange implements SaslServerExchange {
    static final String MECHANISM = "PLAIN";
    private static final String FAILED = "Authentication failed: Invalid username or password";

    private final PlainUsers users;
    private String authenticatedUser;

    PlainExchange(PlainUsers users) {
        this.users = users;
    }

    @Override
    public String mechanism() {
        return MECHANISM;
    }

    @Override
    public byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException {
        if (authenticatedUser != null) {
            throw new AuthenticationFailedException("Authentication failed: PLAIN takes one message");
        }
        String[] parts = new String(clientMessage, StandardCharsets.UTF_8).split("\u0000", -1);
        if (parts.length != 3) {
            throw new AuthenticationFailedException(
                    "Authentication failed: PLAIN expects [authzid] NUL username NUL password");
        }
        String authorizationId = parts[0];
        String user = parts[1];
        String password = parts[2];
        if (user.isEmpty() || password.isEmpty()) {
            throw new AuthenticationFailedException("Authentication failed: username and password must not be empty");
        }
        if (!users.matches(user, password)) {
            throw new AuthenticationFailedException(FAILED);
        }
        if (!authorizationId.isEmpty() && !authorizationId.equals(user)) {
            throw new AuthenticationFailedException(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        authenticatedUser = user;
        return new byte[0];
    }

    @Override
    public boolean isComplete() {
        return authenticatedUser != null;
    }

    @Override
    public String authenticatedUser() {
        if (authenticatedUser == null) {
            throw new IllegalStateException("PLAIN exchange not complete");
        }
        return authenticatedUser;
    }
}
