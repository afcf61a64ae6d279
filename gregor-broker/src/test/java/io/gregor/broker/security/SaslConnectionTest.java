package io.gregor.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.broker.config.SaslSettings;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.SaslAuthenticateRequest;
import io.gregor.protocol.message.SaslAuthenticateResponse;
import io.gregor.protocol.message.SaslHandshakeRequest;
import io.gregor.protocol.message.SaslHandshakeResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SaslConnectionTest {
    private static final String LISTENER = "SASL_PLAINTEXT";
    private static final short V0 = 0;
    private static final short V1 = 1;
    private static final byte[] SALT = "some salt".getBytes(StandardCharsets.UTF_8);
    private static final ScramCredential ALICE = ScramCredential.fromSaltedPassword(ScramMechanism.SCRAM_SHA_256,
            SALT, ScramMechanism.SCRAM_SHA_256.saltedPassword("alice-secret".toCharArray(), SALT, 4096), 4096);

    private final ListenerAuthentication listener = ListenerAuthentication.forListener(LISTENER,
            new SaslSettings(List.of("PLAIN", "SCRAM-SHA-256"), Map.of(LISTENER, Map.of("PLAIN",
                    "PlainLoginModule required user_bob=\"bob-secret\" user_eve=\"eve-secret\";")), 100, 0),
            (user, mechanism) -> user.equals("alice") && mechanism == ScramMechanism.SCRAM_SHA_256
                    ? Optional.of(ALICE) : Optional.empty());

    @Test
    void plainWithTheRightPasswordAuthenticates() {
        SaslConnection connection = new SaslConnection(listener);
        SaslHandshakeResponse handshake = connection.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V1);
        assertThat(handshake.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(handshake.mechanisms()).containsExactly("PLAIN", "SCRAM-SHA-256");
        SaslAuthenticateResponse answer = connection.authenticate(plain("", "bob", "bob-secret"));
        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(connection.authenticated()).isTrue();
        assertThat(connection.describe()).isEqualTo("PLAIN user bob");
    }

    @Test
    void afterAVersion0HandshakeTheMessagesComeBare() throws Exception {
        SaslConnection connection = new SaslConnection(listener);
        connection.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V0);
        assertThat(connection.expectsRawToken()).isTrue();
        assertThat(connection.authenticate(plain("", "bob", "bob-secret")).errorCode())
                .as("no SaslAuthenticate after a version 0 handshake").isEqualTo(Errors.ILLEGAL_SASL_STATE.code());

        SaslConnection bare = new SaslConnection(listener);
        bare.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V0);
        assertThat(bare.rawToken("\u0000bob\u0000bob-secret".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(bare.authenticated()).isTrue();
        assertThat(bare.expectsRawToken()).isFalse();

        SaslConnection wrong = new SaslConnection(listener);
        wrong.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V0);
        assertThatThrownBy(() -> wrong.rawToken("\u0000bob\u0000guess".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThat(wrong.failed()).isTrue();
    }

    @Test
    void withReauthenticationTheSessionHasALifetimeAndIsRenewedForTheSamePrincipalOnly() {
        ListenerAuthentication reauthenticating = ListenerAuthentication.forListener(LISTENER,
                new SaslSettings(List.of("PLAIN"), Map.of(LISTENER, Map.of("PLAIN",
                        "PlainLoginModule required user_bob=\"bob-secret\" user_eve=\"eve-secret\";")), 100, 1_000),
                (user, mechanism) -> Optional.empty());
        long[] now = {0};
        SaslConnection connection = new SaslConnection(reauthenticating, () -> now[0]);
        connection.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V1);
        assertThat(connection.authenticate(plain("", "bob", "bob-secret")).sessionLifetimeMs()).isEqualTo(1_000);
        assertThat(connection.claims(ApiKey.PRODUCE)).isFalse();
        assertThat(connection.claims(ApiKey.SASL_HANDSHAKE)).as("a re-authentication").isTrue();

        now[0] = TimeUnit.MILLISECONDS.toNanos(900);
        assertThat(connection.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V1).errorCode())
                .isEqualTo(Errors.NONE.code());
        assertThat(connection.authenticate(plain("", "bob", "bob-secret")).errorCode()).isEqualTo(Errors.NONE.code());
        now[0] = TimeUnit.MILLISECONDS.toNanos(1_500);
        assertThat(connection.sessionEnded()).as("renewed at 900 ms, until 1,900").isFalse();
        now[0] = TimeUnit.MILLISECONDS.toNanos(2_000);
        assertThat(connection.sessionEnded()).isTrue();
        assertThat(connection.claims(ApiKey.FETCH)).isTrue();

        connection.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V1);
        SaslAuthenticateResponse otherUser = connection.authenticate(plain("", "eve", "eve-secret"));
        assertThat(otherUser.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
        assertThat(otherUser.errorMessage()).contains("may not change the principal");
        assertThat(connection.failed()).isTrue();
    }

    @Test
    void withoutReauthenticationASecondHandshakeIsAnIllegalState() {
        SaslConnection connection = new SaslConnection(listener);
        connection.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V1);
        assertThat(connection.authenticate(plain("", "bob", "bob-secret")).sessionLifetimeMs()).isZero();
        assertThat(connection.claims(ApiKey.SASL_HANDSHAKE)).isFalse();
        assertThat(connection.sessionEnded()).isFalse();
    }

    @Test
    void plainWithAWrongPasswordOrAnotherAuthorizationIdFails() {
        for (SaslAuthenticateRequest wrong : List.of(plain("", "bob", "bob-secreT"), plain("", "eve", "bob-secret"),
                plain("admin", "bob", "bob-secret"), plain("", "bob", ""))) {
            SaslConnection connection = new SaslConnection(listener);
            connection.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V1);
            SaslAuthenticateResponse answer = connection.authenticate(wrong);
            assertThat(answer.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
            assertThat(answer.errorMessage()).startsWith("Authentication failed");
            assertThat(connection.failed()).isTrue();
            assertThat(connection.authenticated()).isFalse();
        }
    }

    @Test
    void aMechanismTheListenerDoesNotOfferIsRefusedWithTheOffer() {
        SaslConnection connection = new SaslConnection(listener);
        SaslHandshakeResponse answer = connection.handshake(new SaslHandshakeRequest().setMechanism("SCRAM-SHA-512"), V1);
        assertThat(answer.errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        assertThat(answer.mechanisms()).containsExactly("PLAIN", "SCRAM-SHA-256");
        assertThat(connection.failed()).isTrue();
    }

    @Test
    void messagesOutOfOrderAreAnIllegalState() {
        SaslConnection noHandshake = new SaslConnection(listener);
        assertThat(noHandshake.authenticate(plain("", "bob", "bob-secret")).errorCode())
                .isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
        assertThat(noHandshake.failed()).isTrue();

        SaslConnection twice = new SaslConnection(listener);
        twice.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V1);
        assertThat(twice.handshake(new SaslHandshakeRequest().setMechanism("PLAIN"), V1).errorCode())
                .isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
    }

    @Test
    void scramWithTheRightPasswordAuthenticatesAndProvesTheServerKnowsTheCredential() {
        SaslConnection connection = new SaslConnection(listener);
        connection.handshake(new SaslHandshakeRequest().setMechanism("SCRAM-SHA-256"), V1);
        ScramClient client = new ScramClient(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret");
        SaslAuthenticateResponse first = connection.authenticate(bytes(client.first()));
        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        SaslAuthenticateResponse last = connection.authenticate(bytes(client.last(utf8(first.authBytes()))));
        assertThat(last.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(client.verifies(utf8(last.authBytes()))).isTrue();
        assertThat(connection.authenticated()).isTrue();
    }

    @Test
    void scramWithAWrongPasswordOrUnknownUserFailsWithTheSameWords() {
        SaslConnection wrongPassword = new SaslConnection(listener);
        wrongPassword.handshake(new SaslHandshakeRequest().setMechanism("SCRAM-SHA-256"), V1);
        ScramClient client = new ScramClient(ScramMechanism.SCRAM_SHA_256, "alice", "guess");
        SaslAuthenticateResponse first = wrongPassword.authenticate(bytes(client.first()));
        SaslAuthenticateResponse last = wrongPassword.authenticate(bytes(client.last(utf8(first.authBytes()))));
        assertThat(last.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
        assertThat(wrongPassword.failed()).isTrue();

        SaslConnection unknownUser = new SaslConnection(listener);
        unknownUser.handshake(new SaslHandshakeRequest().setMechanism("SCRAM-SHA-256"), V1);
        SaslAuthenticateResponse refused = unknownUser.authenticate(
                bytes(new ScramClient(ScramMechanism.SCRAM_SHA_256, "mallory", "x").first()));
        assertThat(refused.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
        assertThat(refused.errorMessage()).isEqualTo(last.errorMessage());
    }

    @Test
    void malformedScramMessagesFail() {
        for (String message : List.of("n=alice,r=abc", "p=tls-unique,,n=alice,r=abc", "n,,r=abc",
                "n,,n=al=ice,r=abc", "n,,n=alice,r=abc,m=ext", "n,,n=alice,r=abc,tokenauth=true")) {
            SaslConnection connection = new SaslConnection(listener);
            connection.handshake(new SaslHandshakeRequest().setMechanism("SCRAM-SHA-256"), V1);
            assertThat(connection.authenticate(bytes(message)).errorCode()).as(message)
                    .isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
        }
    }

    private static SaslAuthenticateRequest plain(String authorizationId, String user, String password) {
        return bytes(authorizationId + "\u0000" + user + "\u0000" + password);
    }

    private static SaslAuthenticateRequest bytes(String message) {
        return new SaslAuthenticateRequest().setAuthBytes(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
