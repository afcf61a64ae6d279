package io.gregor.broker.network;

import io.gregor.broker.api.ApiHandler;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.RequestHeader;
import io.gregor.protocol.wire.ApiMessage;

/** What {@link RequestDecoder} made of one request frame. */
sealed interface DecodedRequest {

    /** A request to hand to its handler. {@code body} is a view of the frame's bytes. */
    record Dispatch(ApiKey apiKey, RequestHeader header, ApiMessage body, ApiHandler<?, ?> handler)
            implements DecodedRequest {
    }

    /**
     * A request the network layer answers itself, without a handler or its body: an ApiVersions
     * request at a version this broker does not know (KIP-511).
     */
    record AnswerDirectly(ApiKey apiKey, RequestHeader header, ApiMessage response, short responseVersion)
            implements DecodedRequest {
    }

    /** A request the broker cannot serve; Kafka closes the connection on these. */
    record Refuse(String reason) implements DecodedRequest {
    }
}
