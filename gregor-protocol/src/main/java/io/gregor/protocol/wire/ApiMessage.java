package io.gregor.protocol.wire;

/** A top-level request or response body of one Kafka API. */
public interface ApiMessage extends Message {
    /** The API key of the request/response pair this message belongs to. */
    short apiKey();

    short lowestSupportedVersion();

    short highestSupportedVersion();

    /**
     * Hands every error code this message holds, at any depth (a produce response's per partition,
     * a fetch response's top-level and per partition), to {@code visitor}, in the order they
     * appear, without allocating. Generated for responses; a message without error codes has none.
     */
    default void visitErrorCodes(ErrorCodeVisitor visitor) {
    }

    /**
     * The throttle time a response tells its client, in ms; generated as the accessor of the
     * {@code ThrottleTimeMs} field of the responses that have one, 0 for other messages.
     */
    default int throttleTimeMs() {
        return 0;
    }
}
