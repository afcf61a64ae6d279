package io.gregor.broker.security;

import io.gregor.broker.config.OAuthBearerSettings;
import java.security.Key;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check of signed OAUTHBEARER tokens that Kafka's {@code OAuthBearerValidatorCallbackHandler}
 * makes (KIP-768): a JWS signed by one of the identity provider's keys (any algorithm but none),
 * with exp and iat, not expired nor before its nbf allowing for the clock skew, issued by the
 * expected issuer and for one of the expected audiences when those are set, and naming its
 * principal in the sub claim (or the one configured). The scope claim is not checked, as in Kafka.
 */
final class JwksTokenValidator implements TokenValidator {
    private static final Logger LOG = LoggerFactory.getLogger(JwksTokenValidator.class);
    private final JwksSource keys;
    private final JwtConsumer consumer;
    private final String subClaim;

    JwksTokenValidator(JwksSource keys, OAuthBearerSettings settings) {
        this.keys = keys;
        this.subClaim = settings.subClaimName();
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setAllowedClockSkewInSeconds(settings.clockSkewSeconds())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.DISALLOW_NONE)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setVerificationKeyResolver(new CurrentKeys());
        if (settings.expectedAudience().isEmpty()) {
            builder.setSkipDefaultAudienceValidation();
        } else {
            builder.setExpectedAudience(settings.expectedAudience().toArray(String[]::new));
        }
        settings.expectedIssuer().ifPresent(builder::setExpectedIssuer);
        this.consumer = builder.build();
    }

    /** Starts reading the listener's JWKS; see {@link JwksSource#start}. */
    static JwksTokenValidator start(OAuthBearerSettings settings, String listenerName) {
        return new JwksTokenValidator(JwksSource.start(settings, listenerName), settings);
    }

    @Override
    public ValidToken validate(String token) throws InvalidTokenException {
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            LOG.debug("Signed OAUTHBEARER token refused: {}", e.getMessage());
            throw new InvalidTokenException(reason(e));
        }
        try {
            if (!(claims.getClaimValue(subClaim) instanceof String principal) || principal.isBlank()) {
                throw new InvalidTokenException("the token has no " + subClaim + " claim naming its principal");
            }
            return new ValidToken(principal, claims.getExpirationTime().getValueInMillis() - System.currentTimeMillis());
        } catch (MalformedClaimException e) {
            throw new InvalidTokenException("the token's exp claim is not a number of seconds");
        }
    }

    /** Which check failed, in words a client can act on; jose4j's full message goes to the broker's log. */
    private static String reason(InvalidJwtException e) {
        Optional<JwtClaims> claims = Optional.ofNullable(e.getJwtContext()).map(c -> c.getJwtClaims());
        if (e.hasExpired()) {
            return "the token expired" + claims.map(JwksTokenValidator::expiry).orElse("");
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "the token is not valid yet (nbf)";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "the token's audience (aud) is not one this listener accepts";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "the token's issuer (iss) is not the one this listener accepts";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "the token's signature does not verify with the identity provider's key";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || e.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)) {
            return "the token lacks an exp or iat claim";
        }
        if (e.getCause() instanceof UnresolvableKeyException) {
            return "the token is not signed by a key of the identity provider's JWKS";
        }
        return "the token is not a valid signed JWT";
    }

    private static String expiry(JwtClaims claims) {
        try {
            return claims.getExpirationTime() == null ? ""
                    : " at " + Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis());
        } catch (MalformedClaimException e) {
            return "";
        }
    }

    @Override
    public void close() {
        keys.close();
    }

    /** Resolves a token's key among the keys last read; a key not found asks for an early read. */
    private final class CurrentKeys implements VerificationKeyResolver {
        @Override
        public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext)
                throws UnresolvableKeyException {
            if (AlgorithmIdentifiers.NONE.equals(jws.getAlgorithmHeaderValue())) {
                // refused anyway; checked first so that unsigned tokens cannot ask for reads of the JWKS
                throw new UnresolvableKeyException("the token is not signed (alg none)");
            }
            try {
                return new JwksVerificationKeyResolver(keys.keys()).resolveKey(jws, nestingContext);
            } catch (UnresolvableKeyException e) {
                keys.keyMissing();
                throw e;
            }
        }
    }
}
