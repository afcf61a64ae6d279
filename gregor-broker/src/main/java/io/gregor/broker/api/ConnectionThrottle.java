package io.gregor.broker.api;

/**
 * Lets a handler throttle the connection its request came on (KIP-219): the response goes out at
 * once, carrying its throttle_time_ms, and the connection is then not read for that long, so the
 * client's next requests wait without blocking a network thread or other connections.
 */
@FunctionalInterface
public interface ConnectionThrottle {
    /** For requests that no connection throttle applies to: node-internal calls, forwarded requests, tests. */
    ConnectionThrottle NONE = throttleTimeMs -> { };

    /**
     * Mutes the connection's reads for {@code throttleTimeMs} once the current response is sent;
     * may be called from any thread.
     */
    void throttle(long throttleTimeMs);
}
