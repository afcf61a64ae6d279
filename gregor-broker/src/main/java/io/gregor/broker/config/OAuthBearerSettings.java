package io.gregor.broker.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How one SASL listener checks OAUTHBEARER tokens, from the keys Kafka's brokers read.
 *
 * @param serverCallbackHandler listener.name.LISTENER.oauthbearer.sasl.server.callback.handler.class
 * @param jwksEndpointUrl sasl.oauthbearer.jwks.endpoint.url: where the signing keys are read
 * @param jwksEndpointUrlKey the key that set it (the listener's own or the broker's), for errors
 * @param jwksRefreshMs sasl.oauthbearer.jwks.endpoint.refresh.ms
 * @param jwksRetryBackoffMs sasl.oauthbearer.jwks.endpoint.retry.backoff.ms
 * @param jwksRetryBackoffMaxMs sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms
 * @param expectedAudience sasl.oauthbearer.expected.audience: empty, or the aud values accepted
 * @param expectedIssuer sasl.oauthbearer.expected.issuer
 * @param subClaimName sasl.oauthbearer.sub.claim.name: the claim naming the principal
 * @param scopeClaimName sasl.oauthbearer.scope.claim.name
 * @param clockSkewSeconds sasl.oauthbearer.clock.skew.seconds
 */
public record OAuthBearerSettings(Optional<String> serverCallbackHandler, Optional<String> jwksEndpointUrl,
                                  String jwksEndpointUrlKey, long jwksRefreshMs, long jwksRetryBackoffMs,
                                  long jwksRetryBackoffMaxMs, List<String> expectedAudience,
                                  Optional<String> expectedIssuer, String subClaimName, String scopeClaimName,
                                  int clockSkewSeconds) {
    public static final String MECHANISM = "OAUTHBEARER";
    /** Kafka 4's validator of signed tokens (KIP-768), which Gregor recognises by name and implements. */
    public static final String KAFKA_VALIDATOR_CALLBACK_HANDLER =
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler";
    /** Kafka 4's JVM property listing the URLs OAUTHBEARER may read; none when unset. */
    public static final String ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

    public OAuthBearerSettings {
        expectedAudience = List.copyOf(expectedAudience);
    }

    /** Kafka's defaults: unsecured tokens only. */
    public static OAuthBearerSettings defaults() {
        return new OAuthBearerSettings(Optional.empty(), Optional.empty(),
                BrokerConfig.SASL_OAUTHBEARER_JWKS_ENDPOINT_URL, 3_600_000L, 100L, 10_000L, List.of(),
                Optional.empty(), "sub", "scope", 30);
    }

    /**
     * Whether tokens must be signed by a key of the JWKS: Kafka's validator is named, or a JWKS is
     * given. Kafka itself would ignore a JWKS without the validator and take unsecured tokens;
     * Gregor does not, as an operator who names the keys surely wants them checked.
     */
    public boolean signedTokens() {
        return serverCallbackHandler.isPresent() || jwksEndpointUrl.isPresent();
    }

    /** The key naming a listener's server callback handler, for messages. */
    public static String callbackHandlerKey(String listenerName) {
        return "listener.name." + listenerName.toLowerCase(Locale.ROOT) + ".oauthbearer.sasl.server.callback.handler.class";
    }
}
