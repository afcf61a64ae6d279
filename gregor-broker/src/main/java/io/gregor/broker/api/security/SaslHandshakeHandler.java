package io.gregor.broker.api.security;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.SaslHandshakeRequest;
import io.gregor.protocol.message.SaslHandshakeResponse;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * SaslHandshake, versions 0-1, where no authentication is under way: on a listener without SASL,
 * or on a connection that has already authenticated. The answer is ILLEGAL_SASL_STATE, as Kafka's.
 * The handshake that starts an authentication is answered by the connection's
 * {@link io.gregor.broker.security.SaslConnection}. Version 0 must be offered even though Kafka's
 * clients and librdkafka then use version 1: librdkafka takes a broker without it for one that
 * has no SASL.
 */
public final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequest, SaslHandshakeResponse> {
    @Override
    public short apiKey() {
        return ApiKey.SASL_HANDSHAKE.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<SaslHandshakeResponse> handle(RequestContext context, SaslHandshakeRequest request) {
        return CompletableFuture.completedFuture(new SaslHandshakeResponse()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setMechanisms(new ArrayList<>()));
    }
}
