package io.gregor.broker.api;

import io.gregor.protocol.wire.ApiMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one Kafka API. Each implementation declares the API key and the version range it
 * implements; the registry of handlers is what ApiVersions advertises. A handler takes the
 * decoded request and returns a future of the response, so that long polls and acks=all
 * complete later without holding a network thread.
 *
 * @param <Q> the generated request message
 * @param <R> the generated response message
 */
public interface ApiHandler<Q extends ApiMessage, R extends ApiMessage> {
    short apiKey();

    short minVersion();

    short maxVersion();

    CompletableFuture<R> handle(RequestContext context, Q request);
}
