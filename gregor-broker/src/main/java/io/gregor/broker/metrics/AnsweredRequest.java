package io.gregor.broker.metrics;

import io.gregor.protocol.message.ApiKey;

/**
 * A request whose response has just gone to its connection (or that expects none), with the
 * moments ({@link System#nanoTime}) that bound its phases, as {@link RequestMetrics} records them.
 * The network layer's own per-request bookkeeping implements it, so that nothing more is made
 * per request to measure it.
 */
public interface AnsweredRequest {
    ApiKey apiKey();

    short version();

    /** Whether it is a follower's fetch, counted as {@code FetchFollower} beside {@code Fetch}. */
    boolean fromFollower();

    /** The size of the request's frame, header and body. */
    int requestBytes();

    /** Its frame was read whole. */
    long receivedNanos();

    /** Its handler was called. */
    long handlerStartNanos();

    /** Its handler returned. */
    long handlerReturnedNanos();

    /** Its response was ready (the handler's future completed). */
    long completedNanos();
}
