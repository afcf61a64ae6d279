package io.gregor.metadata.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.DelegationTokenRecord;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.RemoveDelegationTokenRecord;
import io.gregor.metadata.token.DelegationToken;
import io.gregor.metadata.token.TokenHmac;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DelegationTokenControlTest {
    private static final long MAX_LIFETIME = 10_000;
    private static final long RENEW_LIFETIME = 1_000;
    private static final TokenHmac HMAC = new TokenHmac("secret");

    private final AtomicLong now = new AtomicLong(100_000);
    private final DelegationTokenControl control = control(Optional.of(HMAC));

    private DelegationTokenControl control(Optional<TokenHmac> hmac) {
        return new DelegationTokenControl(new DelegationTokenSettings(hmac, MAX_LIFETIME, RENEW_LIFETIME, 60_000),
                now::get, () -> new UUID(1, 2));
    }

    @Test
    void createdTokenLivesTheRenewLifetimeWithinItsMaximumAndComesWithItsHmac() {
        ControllerResult<CreatedDelegationToken> result = control.create("User:alice", "User:admin",
                List.of("User:bob"), -1);

        DelegationToken token = result.response().token();
        assertThat(token.owner()).isEqualTo("User:alice");
        assertThat(token.requester()).isEqualTo("User:admin");
        assertThat(token.renewers()).containsExactly("User:bob");
        assertThat(token.issueTimestamp()).isEqualTo(100_000);
        assertThat(token.expiryTimestamp()).isEqualTo(101_000);
        assertThat(token.maxTimestamp()).isEqualTo(110_000);
        assertThat(token.tokenId()).hasSize(22);
        assertThat(result.response().hmac()).isEqualTo(HMAC.of(token.tokenId()));
        assertThat(result.records()).containsExactly(new DelegationTokenRecord(token));
    }

    @Test
    void requestedLifetimeShorterThanTheRenewLifetimeCapsBoth() {
        DelegationToken token = control.create("User:alice", "User:alice", List.of(), 500).response().token();

        assertThat(token.maxTimestamp()).isEqualTo(100_500);
        assertThat(token.expiryTimestamp()).isEqualTo(100_500);
    }

    @Test
    void lifetimesOfLongMaxValueDoNotWrapIntoThePast() {
        DelegationTokenControl unbounded = new DelegationTokenControl(new DelegationTokenSettings(Optional.of(HMAC),
                Long.MAX_VALUE, Long.MAX_VALUE, 60_000), now::get, () -> new UUID(1, 2));

        DelegationToken token = unbounded.create("User:alice", "User:alice", List.of(), -1).response().token();

        assertThat(token.maxTimestamp()).isEqualTo(Long.MAX_VALUE);
        assertThat(token.expiryTimestamp()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void renewalByARenewerExtendsTheExpiryButNotBeyondTheMaximum() {
        MetadataImage image = withToken();
        now.addAndGet(500);

        ControllerResult<Long> renewed = control.renew(image, hmacOfTheToken(image), 800, "User:bob");
        assertThat(renewed.response()).isEqualTo(101_300);
        assertThat(renewed.records()).containsExactly(new DelegationTokenRecord(
                theToken(image).withExpiryTimestamp(101_300)));

        assertThat(control.renew(image, hmacOfTheToken(image), Long.MAX_VALUE, "User:alice").response())
                .isEqualTo(110_000);
    }

    @Test
    void onlyTheOwnerAndRenewersMayRenewOrExpire() {
        MetadataImage image = withToken();

        assertThatThrownBy(() -> control.renew(image, hmacOfTheToken(image), 100, "User:admin"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.DELEGATION_TOKEN_OWNER_MISMATCH));
        assertThatThrownBy(() -> control.expire(image, hmacOfTheToken(image), -1, "User:eve"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.DELEGATION_TOKEN_OWNER_MISMATCH));
    }

    @Test
    void unknownHmacIsNotFoundAndAnExpiredTokenCannotBeRenewed() {
        MetadataImage image = withToken();

        assertThatThrownBy(() -> control.renew(image, new byte[64], 100, "User:alice"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.DELEGATION_TOKEN_NOT_FOUND));
        now.addAndGet(RENEW_LIFETIME + 1);
        assertThatThrownBy(() -> control.renew(image, hmacOfTheToken(image), 100, "User:alice"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.DELEGATION_TOKEN_EXPIRED));
    }

    @Test
    void expiryWithANegativePeriodRemovesTheTokenAndOtherwiseMovesItsExpiry() {
        MetadataImage image = withToken();
        String tokenId = theToken(image).tokenId();

        ControllerResult<Long> now = control.expire(image, hmacOfTheToken(image), -1, "User:alice");
        assertThat(now.records()).containsExactly(new RemoveDelegationTokenRecord(tokenId));
        assertThat(now.response()).isEqualTo(100_000);

        assertThat(control.expire(image, hmacOfTheToken(image), 200, "User:alice").response()).isEqualTo(100_200);
    }

    @Test
    void sweepRemovesOnlyTokensPastTheirExpiry() {
        MetadataImage image = withToken();
        assertThat(control.removeExpired(image).records()).isEmpty();

        now.addAndGet(RENEW_LIFETIME + 1);
        assertThat(control.removeExpired(image).records())
                .containsExactly(new RemoveDelegationTokenRecord(theToken(image).tokenId()));
    }

    @Test
    void withoutASecretKeyEveryOperationIsDisabled() {
        DelegationTokenControl disabled = control(Optional.empty());

        assertThatThrownBy(() -> disabled.create("User:alice", "User:alice", List.of(), -1))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.DELEGATION_TOKEN_AUTH_DISABLED));
        assertThatThrownBy(() -> disabled.renew(MetadataImage.empty("c"), new byte[1], 1, "User:alice"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.DELEGATION_TOKEN_AUTH_DISABLED));
    }

    /** An image holding one token of alice's, renewable by bob, created now. */
    private MetadataImage withToken() {
        return replay(MetadataImage.empty("c"),
                control.create("User:alice", "User:alice", List.of("User:bob"), -1).records());
    }

    private static MetadataImage replay(MetadataImage image, List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(image);
        records.forEach(delta::replay);
        return delta.apply();
    }

    private static DelegationToken theToken(MetadataImage image) {
        return image.delegationTokens().values().iterator().next();
    }

    private static byte[] hmacOfTheToken(MetadataImage image) {
        return HMAC.of(theToken(image).tokenId());
    }
}
