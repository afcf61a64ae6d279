package io.gregor.broker.client;

import java.util.Optional;

/**
 * The client side of one SASL exchange: the first message, then an answer to each server
 * challenge until the exchange is over. One per connection attempt; used on one event loop.
 */
interface SaslClientMechanism {
    byte[] firstMessage();

    /**
     * Evaluates the server's answer to the previous message.
     *
     * @return the next message, or empty when the exchange is complete
     * @throws NodeAuthenticationException when the server's answer is not what the mechanism expects
     */
    Optional<byte[]> evaluate(byte[] challenge) throws NodeAuthenticationException;

    /** A new exchange for the credentials' mechanism. */
    static SaslClientMechanism forCredentials(SaslClientCredentials credentials) {
        if (credentials.mechanism().equals(PlainClientMechanism.MECHANISM)) {
            return new PlainClientMechanism(credentials.username(), credentials.password());
        }
        return ScramClientMechanism.start(credentials);
    }
}
