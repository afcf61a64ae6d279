package io.gregor.broker.security;

import io.gregor.protocol.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * Kafka's default check of OAUTHBEARER tokens: unsecured JWTs (RFC 7515 with alg none and no
 * signature), for development only, since anyone can write such a token. Configured, as in
 * Kafka, by options of the listener's OAUTHBEARER JAAS entry: {@code unsecuredValidatorPrincipalClaimName}
 * (default sub), {@code unsecuredValidatorScopeClaimName} (default scope),
 * {@code unsecuredValidatorRequiredScope} (space-separated, default none) and
 * {@code unsecuredValidatorAllowableClockSkewMs} (default 0). The token must name its principal
 * and its expiry (exp); iat, if present, may not lie in the future nor after exp.
 */
final class UnsecuredTokenValidator implements TokenValidator {
    static final String PRINCIPAL_CLAIM_OPTION = "unsecuredValidatorPrincipalClaimName";
    static final String SCOPE_CLAIM_OPTION = "unsecuredValidatorScopeClaimName";
    static final String REQUIRED_SCOPE_OPTION = "unsecuredValidatorRequiredScope";
    static final String CLOCK_SKEW_OPTION = "unsecuredValidatorAllowableClockSkewMs";

    private final String principalClaim;
    private final String scopeClaim;
    private final List<String> requiredScope;
    private final long clockSkewMs;
    private final LongSupplier clockMs;

    UnsecuredTokenValidator(String principalClaim, String scopeClaim, List<String> requiredScope, long clockSkewMs,
                            LongSupplier clockMs) {
        this.principalClaim = principalClaim;
        this.scopeClaim = scopeClaim;
        this.requiredScope = List.copyOf(requiredScope);
        this.clockSkewMs = clockSkewMs;
        this.clockMs = clockMs;
    }

    /**
     * @param key the setting the options come from, for errors
     * @throws ConfigException naming the key and option when the clock skew is not a non-negative integer
     */
    static UnsecuredTokenValidator fromJaasOptions(String key, Map<String, String> options) {
        String skew = options.getOrDefault(CLOCK_SKEW_OPTION, "0").trim();
        long skewMs;
        try {
            skewMs = Long.parseLong(skew);
        } catch (NumberFormatException e) {
            skewMs = -1;
        }
        if (skewMs < 0) {
            throw new ConfigException(key, CLOCK_SKEW_OPTION + "=" + skew, "the allowed clock skew is a number of "
                    + "milliseconds, at least 0");
        }
        return new UnsecuredTokenValidator(nonBlank(options.get(PRINCIPAL_CLAIM_OPTION), "sub"),
                nonBlank(options.get(SCOPE_CLAIM_OPTION), "scope"),
                words(options.getOrDefault(REQUIRED_SCOPE_OPTION, "")), skewMs, System::currentTimeMillis);
    }

    @Override
    public ValidToken validate(String token) throws InvalidTokenException {
        // an unsecured JWS is header.payload. : the signature, the third part, is empty
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[2].isEmpty()) {
            throw new InvalidTokenException("an unsecured token has three dot-separated parts, the last one empty");
        }
        Map<String, Object> header = json(parts[0], "header");
        if (!"none".equals(header.get("alg"))) {
            throw new InvalidTokenException("the token's alg is " + header.get("alg") + ", not none: this listener "
                    + "takes unsecured tokens only");
        }
        Map<String, Object> claims = json(parts[1], "payload");
        long now = clockMs.getAsLong();
        if (!(claims.get(principalClaim) instanceof String principal) || principal.isBlank()) {
            throw new InvalidTokenException("the token has no " + principalClaim + " claim naming its principal");
        }
        long expiresAt = requiredTime(claims, "exp");
        if (now - clockSkewMs >= expiresAt) {
            throw new InvalidTokenException("the token expired at " + Instant.ofEpochMilli(expiresAt));
        }
        Optional<Long> issuedAt = time(claims, "iat");
        if (issuedAt.isPresent() && issuedAt.get() > now + clockSkewMs) {
            throw new InvalidTokenException("the token was issued in the future, at " + Instant.ofEpochMilli(issuedAt.get()));
        }
        if (issuedAt.isPresent() && expiresAt <= issuedAt.get()) {
            throw new InvalidTokenException("the token expires (exp) no later than it was issued (iat)");
        }
        Set<String> scope = scope(claims.get(scopeClaim));
        for (String needed : requiredScope) {
            if (!scope.contains(needed)) {
                throw new InvalidTokenException("the token's scope " + scope + " lacks " + needed + ", which this "
                        + "listener requires", Optional.of(String.join(" ", requiredScope)));
            }
        }
        return new ValidToken(principal, expiresAt - now);
    }

    private static Map<String, Object> json(String base64Url, String part) throws InvalidTokenException {
        try {
            return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(base64Url), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JoseException | ClassCastException e) {
            throw new InvalidTokenException("the token's " + part + " is not base64url-encoded JSON object");
        }
    }

    private static long requiredTime(Map<String, Object> claims, String claim) throws InvalidTokenException {
        return time(claims, claim).orElseThrow(() -> new InvalidTokenException("the token has no " + claim + " claim"));
    }

    /** A NumericDate claim, in seconds since the epoch (possibly with a fraction), as milliseconds. */
    private static Optional<Long> time(Map<String, Object> claims, String claim) throws InvalidTokenException {
        Object value = claims.get(claim);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number seconds)) {
            throw new InvalidTokenException("the token's " + claim + " claim is not a number of seconds");
        }
        return Optional.of((long) (seconds.doubleValue() * 1000));
    }

    /** A scope claim: a space-separated string or a list of strings. */
    private static Set<String> scope(Object claim) {
        if (claim instanceof String text) {
            return Set.copyOf(words(text));
        }
        if (claim instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
        }
        return Set.of();
    }

    private static List<String> words(String text) {
        return List.of(text.trim().split("\\s+")).stream().filter(w -> !w.isEmpty()).toList();
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
