package io.gregor.broker.security;

import io.gregor.broker.config.OAuthBearerSettings;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL OAUTHBEARER (RFC 7628, KIP-255), server side, as Kafka's brokers answer it. The client's
 * one message carries its bearer token, checked by the listener's {@link TokenValidator}; a good
 * token completes the exchange, with the token's principal as the user. A bad one is answered, as
 * the RFC wants, with a JSON error ({@code {"status":"invalid_token"}}); the client acknowledges
 * it with a lone {@code ^A}, and the exchange then fails with that error and the reason. SASL
 * extensions are accepted and ignored, as Kafka's own validators do.
 */
final class OAuthBearerExchange implements SaslServerExchange {
    static final String MECHANISM = OAuthBearerSettings.MECHANISM;
    private static final Logger LOG = LoggerFactory.getLogger(OAuthBearerExchange.class);
    private static final byte CLIENT_ACKNOWLEDGES_ERROR = 0x01;

    private final TokenValidator validator;
    /** Sent the JSON error; the failure that the client's acknowledgement brings. Null until then. */
    private String pendingFailure;
    private ValidToken token;

    OAuthBearerExchange(TokenValidator validator) {
        this.validator = validator;
    }

    @Override
    public String mechanism() {
        return MECHANISM;
    }

    @Override
    public byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException {
        if (token != null) {
            throw new AuthenticationFailedException("Authentication failed: OAUTHBEARER takes one message");
        }
        if (pendingFailure != null) {
            if (clientMessage.length == 1 && clientMessage[0] == CLIENT_ACKNOWLEDGES_ERROR) {
                throw new AuthenticationFailedException(pendingFailure);
            }
            throw new AuthenticationFailedException("Authentication failed: after an error the client must send ^A");
        }
        OAuthBearerClientResponse response = OAuthBearerClientResponse.parse(clientMessage);
        ValidToken valid;
        try {
            valid = validator.validate(response.token());
        } catch (InvalidTokenException e) {
            LOG.info("OAUTHBEARER token refused: {}", e.getMessage());
            pendingFailure = e.jsonError() + ": " + e.getMessage();
            return e.jsonError().getBytes(StandardCharsets.UTF_8);
        }
        // as in Kafka, the client may name an authorization id, but only its token's own principal
        if (!response.authorizationId().isEmpty() && !response.authorizationId().equals(valid.principalName())) {
            throw new AuthenticationFailedException("Authentication failed: Client requested an authorization id ("
                    + response.authorizationId() + ") that is different from the token's principal name ("
                    + valid.principalName() + ")");
        }
        token = valid;
        return new byte[0];
    }

    @Override
    public boolean isComplete() {
        return token != null;
    }

    @Override
    public String authenticatedUser() {
        if (token == null) {
            throw new IllegalStateException("OAUTHBEARER exchange not complete");
        }
        return token.principalName();
    }

    @Override
    public OptionalLong credentialLifetimeMs() {
        if (token == null) {
            throw new IllegalStateException("OAUTHBEARER exchange not complete");
        }
        return OptionalLong.of(token.lifetimeMs());
    }
}
