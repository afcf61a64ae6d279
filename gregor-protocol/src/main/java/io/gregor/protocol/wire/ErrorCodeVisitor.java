package io.gregor.protocol.wire;

/**
 * Receives the error codes of a response, one call per error code field, from
 * {@link ApiMessage#visitErrorCodes}: the broker counts them per request type and error, as
 * Kafka's {@code ErrorsPerSec} meters do, without building a map for every response.
 */
@FunctionalInterface
public interface ErrorCodeVisitor {
    void errorCode(short code);
}
