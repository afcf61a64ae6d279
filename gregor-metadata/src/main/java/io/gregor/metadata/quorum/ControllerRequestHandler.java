package io.gregor.metadata.quorum;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Answers, on the active controller, a request another node sent it over the metadata quorum's
 * transport ({@link MetadataLog#sendToController}). The bytes are opaque here: the broker layer
 * puts Kafka requests in them, so that a controller-only node, which has no Kafka listener, serves
 * the controller APIs on its controller listener.
 */
@FunctionalInterface
public interface ControllerRequestHandler {
    /** Completes with the answer; the request buffer is the handler's to read. */
    CompletableFuture<ByteBuffer> handle(ByteBuffer request);
}
