package io.gregor.metadata.control;

import io.gregor.metadata.token.TokenHmac;
import java.util.Objects;
import java.util.Optional;

/**
 * How the controller issues delegation tokens.
 *
 * @param hmac the HMAC of {@code delegation.token.secret.key}; empty: delegation tokens are
 *     disabled, and their APIs answer DELEGATION_TOKEN_AUTH_DISABLED, as in Kafka
 * @param maxLifetimeMs {@code delegation.token.max.lifetime.ms}: how long a token lives at most, renewals included
 * @param renewLifetimeMs {@code delegation.token.expiry.time.ms}: how long a new or renewed token
 *     lives unless the request asks for less (create) or another period (renew)
 * @param expiryCheckIntervalMs {@code delegation.token.expiry.check.interval.ms}: how often the
 *     active controller removes the tokens past their expiry
 */
public record DelegationTokenSettings(Optional<TokenHmac> hmac, long maxLifetimeMs, long renewLifetimeMs,
                                      long expiryCheckIntervalMs) {
    /** Kafka's defaults: 7 days, 1 day, 1 hour. */
    public static final long DEFAULT_MAX_LIFETIME_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RENEW_LIFETIME_MS = 24L * 60 * 60 * 1000;
    public static final long DEFAULT_EXPIRY_CHECK_INTERVAL_MS = 60L * 60 * 1000;

    /** No secret key: no tokens. */
    public static final DelegationTokenSettings DISABLED = new DelegationTokenSettings(Optional.empty(),
            DEFAULT_MAX_LIFETIME_MS, DEFAULT_RENEW_LIFETIME_MS, DEFAULT_EXPIRY_CHECK_INTERVAL_MS);

    public DelegationTokenSettings {
        Objects.requireNonNull(hmac, "hmac");
        if (maxLifetimeMs < 1 || renewLifetimeMs < 1 || expiryCheckIntervalMs < 1) {
            throw new IllegalArgumentException("delegation token lifetimes and check interval must be positive");
        }
    }

    public boolean enabled() {
        return hmac.isPresent();
    }
}
