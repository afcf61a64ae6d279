package io.gregor.broker.security;

import io.gregor.metadata.image.ScramCredential;
import java.util.Objects;

/**
 * What a SCRAM exchange needs of a delegation token: the credential derived from its HMAC, whose
 * principal the client becomes, and until when the token is valid.
 *
 * @param owner {@code Type:name} of the token's owner
 * @param expiryTimestamp epoch milliseconds after which the token no longer authenticates
 */
public record TokenCredential(String owner, ScramCredential credential, long expiryTimestamp) {
    public TokenCredential {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(credential, "credential");
    }

    /** The owner's name without its type: a token-authenticated client is {@code User:} that name, as in Kafka. */
    public String ownerName() {
        int colon = owner.indexOf(':');
        return colon < 0 ? owner : owner.substring(colon + 1);
    }
}
