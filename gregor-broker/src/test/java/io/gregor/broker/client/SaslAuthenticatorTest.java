package io.gregor.broker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.broker.config.SaslSettings;
import io.gregor.broker.security.ListenerAuthentication;
import io.gregor.broker.security.SaslConnection;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.protocol.message.SaslAuthenticateRequest;
import io.gregor.protocol.message.SaslAuthenticateResponse;
import io.gregor.protocol.message.SaslHandshakeRequest;
import io.gregor.protocol.wire.ApiMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The client side of PLAIN and SCRAM against the broker's own server side, in memory. */
class SaslAuthenticatorTest {
    private static final String LISTENER = "SASL_PLAINTEXT";
    private static final byte[] SALT = "broker salt".getBytes(StandardCharsets.UTF_8);

    private final ListenerAuthentication listener = ListenerAuthentication.forListener(LISTENER,
            new SaslSettings(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"), Map.of(LISTENER, Map.of("PLAIN",
                    "PlainLoginModule required user_broker=\"broker-secret\";")), 100, 0),
            (user, mechanism) -> user.equals("broker")
                    ? Optional.of(ScramCredential.fromSaltedPassword(mechanism, SALT,
                            mechanism.saltedPassword("broker-secret".toCharArray(), SALT, 4096), 4096))
                    : Optional.empty());

    @Test
    void plainAndBothScramMechanismsAuthenticate() throws Exception {
        for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")) {
            SaslConnection server = new SaslConnection(listener);
            SaslAuthenticator.authenticate(new SaslClientCredentials(mechanism, "broker", "broker-secret"),
                    serving(server, UnaryOperator.identity())).get();
            assertThat(server.authenticated()).as(mechanism).isTrue();
            assertThat(server.principal()).isEqualTo("User:broker");
        }
    }

    @Test
    void aWrongPasswordFailsWithTheServersReason() {
        for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256")) {
            SaslConnection server = new SaslConnection(listener);
            CompletableFuture<Void> done = SaslAuthenticator.authenticate(
                    new SaslClientCredentials(mechanism, "broker", "guess"), serving(server, UnaryOperator.identity()));
            assertThatThrownBy(done::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NodeAuthenticationException.class)
                    .hasMessageContaining("SASL " + mechanism + " authentication as broker failed")
                    .hasMessageContaining("SASL_AUTHENTICATION_FAILED")
                    .hasMessageNotContaining("guess");
        }
    }

    @Test
    void aMechanismTheListenerDoesNotOfferFailsNamingWhatItOffers() {
        ListenerAuthentication plainOnly = ListenerAuthentication.forListener(LISTENER, new SaslSettings(
                List.of("PLAIN"), Map.of(LISTENER, Map.of("PLAIN", "PlainLoginModule required user_b=\"c\";")), 100, 0),
                (user, mechanism) -> Optional.empty());
        CompletableFuture<Void> done = SaslAuthenticator.authenticate(
                new SaslClientCredentials("SCRAM-SHA-512", "broker", "broker-secret"),
                serving(new SaslConnection(plainOnly), UnaryOperator.identity()));
        assertThatThrownBy(done::get).cause().isInstanceOf(NodeAuthenticationException.class)
                .hasMessageContaining("the listener offers [PLAIN], not SCRAM-SHA-512");
    }

    @Test
    void aScramServerThatCannotSignIsNotTrusted() {
        SaslConnection server = new SaslConnection(listener);
        // An impostor relays to the real server but cannot produce the server-final signature.
        UnaryOperator<byte[]> forgedSignature = answer -> new String(answer, StandardCharsets.UTF_8).startsWith("v=")
                ? "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".getBytes(StandardCharsets.UTF_8) : answer;
        CompletableFuture<Void> done = SaslAuthenticator.authenticate(
                new SaslClientCredentials("SCRAM-SHA-256", "broker", "broker-secret"), serving(server, forgedSignature));
        assertThatThrownBy(done::get).cause().isInstanceOf(NodeAuthenticationException.class)
                .hasMessageContaining("SCRAM signature is wrong");
    }

    @Test
    void credentialsNeverShowThePassword() {
        assertThat(new SaslClientCredentials("PLAIN", "broker", "broker-secret").toString())
                .contains("broker").doesNotContain("broker-secret");
    }

    /** Answers the client's requests with the server side's, each SaslAuthenticate answer passed through {@code tamper}. */
    private static SaslAuthenticator.Connection serving(SaslConnection server, UnaryOperator<byte[]> tamper) {
        return (request, version) -> {
            ApiMessage response;
            if (request instanceof SaslHandshakeRequest handshake) {
                response = server.handshake(handshake, version);
            } else {
                SaslAuthenticateResponse answer = server.authenticate((SaslAuthenticateRequest) request);
                response = answer.setAuthBytes(tamper.apply(answer.authBytes()));
            }
            return CompletableFuture.completedFuture(response);
        };
    }
}
