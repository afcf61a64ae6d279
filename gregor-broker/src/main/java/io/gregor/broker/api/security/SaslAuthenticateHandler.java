package io.gregor.broker.api.security;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.SaslAuthenticateRequest;
import io.gregor.protocol.message.SaslAuthenticateResponse;
import java.util.concurrent.CompletableFuture;

/**
 * SaslAuthenticate, versions 0-2, where no authentication is under way: on a listener without
 * SASL, or on a connection that has already authenticated. The answer is ILLEGAL_SASL_STATE, as
 * Kafka's. The messages of an authentication are answered by the connection's
 * {@link io.gregor.broker.security.SaslConnection}.
 */
public final class SaslAuthenticateHandler implements ApiHandler<SaslAuthenticateRequest, SaslAuthenticateResponse> {
    @Override
    public short apiKey() {
        return ApiKey.SASL_AUTHENTICATE.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<SaslAuthenticateResponse> handle(RequestContext context, SaslAuthenticateRequest request) {
        return CompletableFuture.completedFuture(new SaslAuthenticateResponse()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("SaslAuthenticate outside a SASL authentication")
                .setAuthBytes(new byte[0]));
    }
}
