package io.gregor.protocol.wire;

/** A top-level request or response body of one Kafka API. */
public interface ApiMessage extends Message {
    /** The API key of the request/response pair this message belongs to. */
    short apiKey();

    short lowestSupportedVersion();

    short highestSupportedVersion();
}
