package io.gregor.broker.security;

import java.util.OptionalLong;

/**
 * The server side of one SASL exchange: each client message is answered with a challenge (possibly
 * empty) until the exchange is complete. One per connection and attempt; not thread-safe (a
 * connection's requests are served one after another on its network thread).
 */
public interface SaslServerExchange {
    /** The mechanism's name as clients ask for it, e.g. PLAIN. */
    String mechanism();

    /**
     * Evaluates the client's next message.
     *
     * @return the bytes to send back (empty when the mechanism has nothing to say)
     * @throws AuthenticationFailedException when the credentials are wrong or the message is malformed
     */
    byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException;

    /** Whether the client has proven who it is. */
    boolean isComplete();

    /** The user the client authenticated as; only once {@link #isComplete()}. */
    String authenticatedUser();

    /** Whether the client authenticated with a delegation token, as its owner; only once {@link #isComplete()}. */
    default boolean tokenAuthenticated() {
        return false;
    }

    /**
     * How long the credential the client proved itself with stays valid, for credentials that
     * expire (a bearer token), else empty; only once {@link #isComplete()}. The session ends then
     * at the latest, as in Kafka (KIP-368).
     */
    default OptionalLong credentialLifetimeMs() {
        return OptionalLong.empty();
    }
}
