package io.gregor.metadata.record;

import io.gregor.metadata.token.DelegationToken;
import java.util.Objects;

/**
 * A delegation token was created, or renewed or given a new expiry (replacing the token of that
 * id). Carries no HMAC: nodes derive it from the token id with the shared secret key.
 */
public record DelegationTokenRecord(DelegationToken token) implements MetadataRecord {
    public DelegationTokenRecord {
        Objects.requireNonNull(token, "token");
    }
}
