package io.gregor.broker.security;

/**
 * Checks the bearer tokens of SASL OAUTHBEARER clients. Shared by a listener's connections, so
 * thread-safe; called on network threads, so it never waits on I/O.
 */
interface TokenValidator extends AutoCloseable {
    /**
     * @throws InvalidTokenException saying which check failed
     */
    ValidToken validate(String token) throws InvalidTokenException;

    /** Stops what runs in the background, if anything. */
    @Override
    default void close() {
    }
}
