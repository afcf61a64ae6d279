package io.gregor.metadata.record;

import java.util.Objects;

/** A delegation token was expired at its owner's request, or removed once past its expiry. */
public record RemoveDelegationTokenRecord(String tokenId) implements MetadataRecord {
    public RemoveDelegationTokenRecord {
        Objects.requireNonNull(tokenId, "tokenId");
    }
}
