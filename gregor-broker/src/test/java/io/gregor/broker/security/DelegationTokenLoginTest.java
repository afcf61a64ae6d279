package io.gregor.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.config.SaslSettings;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.metadata.record.DelegationTokenRecord;
import io.gregor.metadata.token.DelegationToken;
import io.gregor.metadata.token.TokenHmac;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.SaslAuthenticateRequest;
import io.gregor.protocol.message.SaslAuthenticateResponse;
import io.gregor.protocol.message.SaslHandshakeRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SCRAM logins with a delegation token (tokenauth=true) against the tokens of a metadata image. */
class DelegationTokenLoginTest {
    private static final String LISTENER = "SASL_PLAINTEXT";
    private static final short V1 = 1;
    private static final TokenHmac HMAC = new TokenHmac("secret");
    private static final String TOKEN_EXTENSION = ",tokenauth=true";

    private final long now = System.currentTimeMillis();
    private final MetadataImage image = withTokens(
            new DelegationToken("valid", "User:alice", "User:admin", List.of(), now, now + 120_000, now + 60_000),
            new DelegationToken("expired", "User:alice", "User:alice", List.of(), now - 20_000, now + 60_000,
                    now - 10_000));

    @Test
    void aValidTokenAuthenticatesAsItsOwnerMarkedAsTokenAuthenticatedUntilItExpires() {
        SaslConnection connection = connection(Optional.of(HMAC));
        SaslAuthenticateResponse last = login(connection, ScramMechanism.SCRAM_SHA_512, "valid",
                HMAC.password("valid"), TOKEN_EXTENSION);

        assertThat(last.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(connection.principal()).isEqualTo("User:alice");
        assertThat(connection.tokenAuthenticated()).isTrue();
        assertThat(last.sessionLifetimeMs()).isPositive().isLessThanOrEqualTo(60_000);
    }

    @Test
    void aTokenPastItsExpiryAWrongHmacOrNoTokenauthExtensionFail() {
        assertThat(login(connection(Optional.of(HMAC)), ScramMechanism.SCRAM_SHA_256, "expired",
                HMAC.password("expired"), TOKEN_EXTENSION).errorCode())
                .isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
        assertThat(login(connection(Optional.of(HMAC)), ScramMechanism.SCRAM_SHA_256, "valid",
                new TokenHmac("another secret").password("valid"), TOKEN_EXTENSION).errorCode())
                .isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
        assertThat(login(connection(Optional.of(HMAC)), ScramMechanism.SCRAM_SHA_256, "valid",
                HMAC.password("valid"), "").errorCode())
                .as("a token id is no user name").isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
    }

    @Test
    void withoutASecretKeyNoTokenAuthenticates() {
        assertThat(login(connection(Optional.empty()), ScramMechanism.SCRAM_SHA_512, "valid",
                HMAC.password("valid"), TOKEN_EXTENSION).errorCode())
                .isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
    }

    private SaslConnection connection(Optional<TokenHmac> hmac) {
        ListenerAuthentication listener = ListenerAuthentication.forListener(LISTENER,
                new SaslSettings(List.of("SCRAM-SHA-256", "SCRAM-SHA-512"), Map.of(), 100, 0),
                new MetadataScramCredentials(() -> image, hmac));
        return new SaslConnection(listener);
    }

    /** The two SCRAM messages of a login; the answer to the first when that fails, else to the second. */
    private static SaslAuthenticateResponse login(SaslConnection connection, ScramMechanism mechanism, String user,
                                                  String password, String extensions) {
        connection.handshake(new SaslHandshakeRequest().setMechanism(mechanism.mechanismName()), V1);
        ScramClient client = new ScramClient(mechanism, user, password, extensions);
        SaslAuthenticateResponse first = connection.authenticate(bytes(client.first()));
        if (first.errorCode() != Errors.NONE.code()) {
            return first;
        }
        return connection.authenticate(bytes(client.last(new String(first.authBytes(), StandardCharsets.UTF_8))));
    }

    private static SaslAuthenticateRequest bytes(String message) {
        return new SaslAuthenticateRequest().setAuthBytes(message.getBytes(StandardCharsets.UTF_8));
    }

    private static MetadataImage withTokens(DelegationToken... tokens) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        for (DelegationToken token : tokens) {
            delta.replay(new DelegationTokenRecord(token));
        }
        return delta.apply();
    }
}
