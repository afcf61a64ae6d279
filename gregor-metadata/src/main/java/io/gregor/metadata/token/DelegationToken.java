package io.gregor.metadata.token;

import java.util.List;
import java.util.Objects;

/**
 * What the cluster knows of one delegation token: who owns it (the principal its clients act as),
 * who asked for it, who else may renew it, and its timestamps (epoch milliseconds). Its HMAC is not
 * here: it is derived from the token id with the secret key ({@link TokenHmac}).
 *
 * @param owner {@code Type:name} of the principal the token authenticates as
 * @param requester {@code Type:name} of the principal that created it (KIP-373: may differ from the owner)
 * @param renewers {@code Type:name} of the principals that may renew and expire it besides the owner
 * @param issueTimestamp when it was created
 * @param maxTimestamp when it expires at the latest, however often it is renewed
 * @param expiryTimestamp when it expires unless renewed
 */
public record DelegationToken(String tokenId, String owner, String requester, List<String> renewers,
                              long issueTimestamp, long maxTimestamp, long expiryTimestamp) {
    public DelegationToken {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(requester, "requester");
        renewers = List.copyOf(renewers);
    }

    /** Whether the token no longer authenticates at {@code nowMs}, as Kafka decides it. */
    public boolean expiredAt(long nowMs) {
        return maxTimestamp < nowMs || expiryTimestamp < nowMs;
    }

    /** Whether the principal may renew or expire the token: its owner or one of its renewers. */
    public boolean renewableBy(String principal) {
        return owner.equals(principal) || renewers.contains(principal);
    }

    /** Whether the token is the principal's own to describe: as owner, requester or renewer. */
    public boolean concerns(String principal) {
        return renewableBy(principal) || requester.equals(principal);
    }

    public DelegationToken withExpiryTimestamp(long newExpiryTimestamp) {
        return new DelegationToken(tokenId, owner, requester, renewers, issueTimestamp, maxTimestamp,
                newExpiryTimestamp);
    }
}
