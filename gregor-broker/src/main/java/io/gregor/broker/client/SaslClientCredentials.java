package io.gregor.broker.client;

import java.util.Objects;

/**
 * Who a {@link NodeClient} authenticates as on a SASL listener of another node.
 *
 * @param mechanism PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
 * @param username the user this node is on the other nodes
 * @param password its password; never in {@link #toString()}, which ends up in logs
 */
public record SaslClientCredentials(String mechanism, String username, String password) {
    public SaslClientCredentials {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "SaslClientCredentials[mechanism=" + mechanism + ", username=" + username + "]";
    }
}
