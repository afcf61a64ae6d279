package io.gregor.metadata.control;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.DelegationTokenRecord;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.RemoveDelegationTokenRecord;
import io.gregor.metadata.token.DelegationToken;
import io.gregor.metadata.token.TokenHmac;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Decides the creation, renewal and expiry of delegation tokens (KIP-48) against an image, with
 * Kafka's rules: a token lives {@code delegation.token.expiry.time.ms} from its creation or last
 * renewal, never beyond {@code delegation.token.max.lifetime.ms} from its creation; only its owner
 * and renewers may renew or expire it; a token past its expiry can be neither. Refusals are
 * {@link ApiException}s with the Kafka error. Pure but for the clock and the token ids.
 */
final class DelegationTokenControl {
    private final DelegationTokenSettings settings;
    private final LongSupplier clock;
    private final Supplier<UUID> ids;

    DelegationTokenControl(DelegationTokenSettings settings, LongSupplier clock, Supplier<UUID> ids) {
        this.settings = settings;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * A new token for {@code owner}, asked for by {@code requester}.
     *
     * @param maxLifetimeMs the lifetime the client asks for; not positive: the configured maximum
     */
    ControllerResult<CreatedDelegationToken> create(String owner, String requester, List<String> renewers,
                                                    long maxLifetimeMs) {
        TokenHmac hmac = hmac();
        long now = clock.getAsLong();
        long lifetime = maxLifetimeMs > 0 ? Math.min(maxLifetimeMs, settings.maxLifetimeMs()) : settings.maxLifetimeMs();
        long maxTimestamp = saturatedSum(now, lifetime);
        long expiryTimestamp = Math.min(maxTimestamp, saturatedSum(now, settings.renewLifetimeMs()));
        DelegationToken token = new DelegationToken(newTokenId(), owner, requester, renewers, now, maxTimestamp,
                expiryTimestamp);
        return new ControllerResult<>(List.of(new DelegationTokenRecord(token)),
                new CreatedDelegationToken(token, hmac.of(token.tokenId())));
    }

    /**
     * Extends the token of that HMAC by {@code renewPeriodMs} from now (negative: by
     * {@code delegation.token.expiry.time.ms}), up to its maximum. Answers its new expiry timestamp.
     */
    ControllerResult<Long> renew(MetadataImage image, byte[] hmac, long renewPeriodMs, String principal) {
        long now = clock.getAsLong();
        DelegationToken token = changeableToken(image, hmac, principal, now);
        long period = renewPeriodMs < 0 ? settings.renewLifetimeMs() : renewPeriodMs;
        long expiryTimestamp = Math.min(token.maxTimestamp(), saturatedSum(now, period));
        return new ControllerResult<>(List.of(new DelegationTokenRecord(token.withExpiryTimestamp(expiryTimestamp))),
                expiryTimestamp);
    }

    /**
     * Sets the token of that HMAC to expire {@code expiryPeriodMs} from now, but not after its
     * maximum; a negative period removes it at once. Answers its new expiry timestamp.
     */
    ControllerResult<Long> expire(MetadataImage image, byte[] hmac, long expiryPeriodMs, String principal) {
        long now = clock.getAsLong();
        DelegationToken token = changeableToken(image, hmac, principal, now);
        if (expiryPeriodMs < 0) {
            return new ControllerResult<>(List.of(new RemoveDelegationTokenRecord(token.tokenId())), now);
        }
        long expiryTimestamp = Math.min(token.maxTimestamp(), saturatedSum(now, expiryPeriodMs));
        return new ControllerResult<>(List.of(new DelegationTokenRecord(token.withExpiryTimestamp(expiryTimestamp))),
                expiryTimestamp);
    }

    /** Removes every token past its expiry or maximum lifetime. */
    ControllerResult<Integer> removeExpired(MetadataImage image) {
        long now = clock.getAsLong();
        List<MetadataRecord> removals = image.delegationTokens().values().stream()
                .filter(token -> token.expiredAt(now))
                .<MetadataRecord>map(token -> new RemoveDelegationTokenRecord(token.tokenId()))
                .toList();
        return new ControllerResult<>(removals, removals.size());
    }

    private DelegationToken changeableToken(MetadataImage image, byte[] hmac, String principal, long now) {
        DelegationToken token = hmac().find(image.delegationTokens().values(), hmac).orElseThrow(() ->
                new ApiException(Errors.DELEGATION_TOKEN_NOT_FOUND, "No delegation token has the given HMAC"));
        if (token.expiredAt(now)) {
            throw new ApiException(Errors.DELEGATION_TOKEN_EXPIRED, "Delegation token " + token.tokenId()
                    + " has expired");
        }
        if (!token.renewableBy(principal)) {
            throw new ApiException(Errors.DELEGATION_TOKEN_OWNER_MISMATCH, principal
                    + " is neither the owner nor a renewer of delegation token " + token.tokenId());
        }
        return token;
    }

    private TokenHmac hmac() {
        return settings.hmac().orElseThrow(() -> new ApiException(Errors.DELEGATION_TOKEN_AUTH_DISABLED,
                "Delegation tokens are disabled: no delegation.token.secret.key is set"));
    }

    /** 22 characters of URL-safe base64 of 128 random bits, the shape of Kafka's token ids. */
    private String newTokenId() {
        UUID id = ids.get();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** Periods (asked by clients) and lifetimes (configured) go up to Long.MAX_VALUE: never wrap into the past. */
    private static long saturatedSum(long now, long period) {
        long sum = now + period;
        return sum < now ? Long.MAX_VALUE : sum;
    }
}
