package io.gregor.broker.api;

import io.gregor.protocol.wire.ApiMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one Kafka API. Each implementation declares the API key and the version range it
 * implements; the registry of handlers is what ApiVersions advertises. A handler takes the
 * decoded request and returns a future of the response, so that long polls and acks=all
 * complete later without holding a network thread.
 *
 * <p>Contract with the network layer:
 * <ul>
 *   <li>{@link #handle} is called on the connection's network thread: do cheap work inline,
 *       hand anything that blocks (disk sync, waiting on replicas) to another thread.</li>
 *   <li>The request, and any {@code MemoryRecords} inside it, is a view of the network buffer
 *       it arrived in. It stays valid until the returned future completes; a handler that keeps
 *       record bytes beyond that must copy them, and a response must not point into them.</li>
 *   <li>The future may complete on any thread; responses still leave the connection in request
 *       order.</li>
 *   <li>Completing with {@code null} (see {@link #noResponse()}) means "send nothing back", as
 *       for produce with acks=0; later responses on the connection are not held up.</li>
 *   <li>Completing exceptionally (or throwing) is a broker bug or an unanswerable request: the
 *       network layer logs it and closes that connection. Expected failures belong in the
 *       response's error codes.</li>
 * </ul>
 *
 * @param <Q> the generated request message
 * @param <R> the generated response message
 */
public interface ApiHandler<Q extends ApiMessage, R extends ApiMessage> {
    short apiKey();

    short minVersion();

    short maxVersion();

    CompletableFuture<R> handle(RequestContext context, Q request);

    /** The future a handler returns when the client expects no response (acks=0 produce). */
    static <R extends ApiMessage> CompletableFuture<R> noResponse() {
        return CompletableFuture.completedFuture(null);
    }
}
