package io.gregor.metadata.control;

import io.gregor.metadata.token.DelegationToken;

/** A delegation token just created, with its HMAC, which only its creator is told in the response. */
public record CreatedDelegationToken(DelegationToken token, byte[] hmac) {
    public CreatedDelegationToken {
        hmac = hmac.clone();
    }

    @Override
    public byte[] hmac() {
        return hmac.clone();
    }

    /** Without the HMAC, which is the token's password. */
    @Override
    public String toString() {
        return "CreatedDelegationToken(" + token.tokenId() + ")";
    }
}
