package io.gregor.broker.security;

import static io.gregor.broker.security.TestJwts.clientFirst;
import static io.gregor.broker.security.TestJwts.nowSeconds;
import static io.gregor.broker.security.TestJwts.unsecured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.broker.config.SaslSettings;
import io.gregor.protocol.config.ConfigException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.SaslAuthenticateRequest;
import io.gregor.protocol.message.SaslAuthenticateResponse;
import io.gregor.protocol.message.SaslHandshakeRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OAUTHBEARER exchange with Kafka's default, unsecured tokens, and the session a token gives. */
class OAuthBearerExchangeTest {
    private static final String LISTENER = "SASL_PLAINTEXT";
    private static final String JAAS = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
            + "unsecuredValidatorRequiredScope=\"produce\" unsecuredValidatorAllowableClockSkewMs=\"2000\";";

    private final UnsecuredTokenValidator validator = UnsecuredTokenValidator.fromJaasOptions("key",
            Map.of(UnsecuredTokenValidator.REQUIRED_SCOPE_OPTION, "produce"));

    @Test
    void aValidTokenAuthenticatesItsSubjectAndExtensionsAreIgnored() throws Exception {
        OAuthBearerExchange exchange = new OAuthBearerExchange(validator);
        byte[] answer = exchange.evaluate(clientFirst("", token("alice", 60, "produce consume"), "traceId=abc 1",
                "tenant=blue"));
        assertThat(answer).isEmpty();
        assertThat(exchange.isComplete()).isTrue();
        assertThat(exchange.authenticatedUser()).isEqualTo("alice");
        assertThat(exchange.credentialLifetimeMs().getAsLong()).isBetween(55_000L, 60_000L);
    }

    @Test
    void anAuthorizationIdMustBeTheTokensOwnPrincipal() throws Exception {
        assertThat(new OAuthBearerExchange(validator).evaluate(clientFirst("alice", token("alice", 60, "produce"))))
                .isEmpty();
        assertThatThrownBy(() -> new OAuthBearerExchange(validator).evaluate(
                clientFirst("admin", token("alice", 60, "produce"))))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("authorization id (admin) that is different from the token's principal name (alice)");
    }

    @Test
    void aBadTokenIsAnsweredWithTheJsonErrorThenFailsOnTheClientsAcknowledgement() throws Exception {
        OAuthBearerExchange exchange = new OAuthBearerExchange(validator);
        byte[] answer = exchange.evaluate(clientFirst("", token("alice", -60, "produce")));
        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"invalid_token\"}");
        assertThat(exchange.isComplete()).isFalse();
        assertThatThrownBy(() -> exchange.evaluate(new byte[] {1}))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageStartingWith("{\"status\":\"invalid_token\"}: the token expired at ");
    }

    @Test
    void aMissingRequiredScopeIsInsufficientScope() throws Exception {
        OAuthBearerExchange exchange = new OAuthBearerExchange(validator);
        byte[] answer = exchange.evaluate(clientFirst("", token("alice", 60, "consume")));
        assertThat(new String(answer, StandardCharsets.UTF_8))
                .isEqualTo("{\"status\":\"insufficient_scope\", \"scope\":\"produce\"}");
        assertThatThrownBy(() -> exchange.evaluate(new byte[] {1})).hasMessageContaining("lacks produce");
    }

    @Test
    void malformedMessagesFail() {
        String token = token("alice", 60, "produce");
        for (String message : List.of("", "y,,\u0001auth=Bearer " + token + "\u0001\u0001",
                "n,,\u0001auth=Bearer " + token + "\u0001", "n,,\u0001\u0001",
                "n,,\u0001auth=Basic " + token + "\u0001\u0001", "n,,\u0001auth=Bearer " + token + "\u0001x-y=1\u0001\u0001",
                "n,,\u0001auth=Bearer a\u0001auth=Bearer b\u0001\u0001")) {
            assertThatThrownBy(() -> new OAuthBearerExchange(validator).evaluate(message.getBytes(StandardCharsets.UTF_8)))
                    .as(message).isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageStartingWith("Authentication failed: invalid OAUTHBEARER message");
        }
    }

    @Test
    void unsecuredTokensAreCheckedAsKafkaChecksThem() {
        long now = nowSeconds();
        assertRefused(Map.of("exp", now + 60, "scope", "produce"), "no sub claim");
        assertRefused(Map.of("sub", "alice", "scope", "produce"), "no exp claim");
        assertRefused(Map.of("sub", "alice", "exp", now + 60, "iat", now + 30, "scope", "produce"), "issued in the future");
        assertRefused(Map.of("sub", "alice", "exp", "soon", "scope", "produce"), "not a number");
        assertThatThrownBy(() -> validator.validate(TestJwts.unsecured(Map.of("sub", "a", "exp", now + 60))
                .replace("eyJhbGciOiJub25lIn0", "eyJhbGciOiJSUzI1NiJ9"))).hasMessageContaining("not none");
        assertThatThrownBy(() -> validator.validate(unsecured(Map.of("sub", "a", "exp", now + 60)) + "c2ln"))
                .hasMessageContaining("the last one empty");
    }

    @Test
    void theClaimNamesAndClockSkewComeFromTheJaasOptions() throws Exception {
        UnsecuredTokenValidator custom = UnsecuredTokenValidator.fromJaasOptions("key", Map.of(
                UnsecuredTokenValidator.PRINCIPAL_CLAIM_OPTION, "client_id",
                UnsecuredTokenValidator.SCOPE_CLAIM_OPTION, "roles",
                UnsecuredTokenValidator.REQUIRED_SCOPE_OPTION, "writer",
                UnsecuredTokenValidator.CLOCK_SKEW_OPTION, "5000"));
        // expired two seconds ago, within the five seconds of skew allowed
        assertThat(custom.validate(unsecured(Map.of("client_id", "svc", "exp", nowSeconds() - 2,
                "roles", List.of("reader", "writer")))).principalName()).isEqualTo("svc");
        assertThatThrownBy(() -> UnsecuredTokenValidator.fromJaasOptions("listener.name.x.oauthbearer.sasl.jaas.config",
                Map.of(UnsecuredTokenValidator.CLOCK_SKEW_OPTION, "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.name.x.oauthbearer.sasl.jaas.config")
                .hasMessageContaining("unsecuredValidatorAllowableClockSkewMs=-1");
    }

    @Test
    void theSessionEndsWhenTheTokenExpiresAndTheClientIsToldSo() {
        ListenerAuthentication listener = ListenerAuthentication.forListener(LISTENER, new SaslSettings(
                List.of("OAUTHBEARER"), Map.of(LISTENER, Map.of("OAUTHBEARER", JAAS)), 100, 3_600_000),
                (user, mechanism) -> Optional.empty());
        long[] now = {0};
        SaslConnection connection = new SaslConnection(listener, () -> now[0]);
        connection.handshake(new SaslHandshakeRequest().setMechanism("OAUTHBEARER"), (short) 1);
        SaslAuthenticateResponse answer = connection.authenticate(new SaslAuthenticateRequest()
                .setAuthBytes(clientFirst("", token("alice", 30, "produce"))));
        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(connection.principal()).isEqualTo("User:alice");
        assertThat(answer.sessionLifetimeMs()).as("the token's 30 s, shorter than connections.max.reauth.ms")
                .isBetween(25_000L, 30_000L);
        now[0] += 31_000_000_000L;
        assertThat(connection.sessionEnded()).isTrue();
    }

    @Test
    void aListenerWithoutJaasOptionsTakesKafkasDefaults() throws Exception {
        ListenerAuthentication listener = ListenerAuthentication.forListener(LISTENER, new SaslSettings(
                List.of("OAUTHBEARER"), Map.of(), 100, 0), (user, mechanism) -> Optional.empty());
        SaslServerExchange exchange = listener.newExchange("OAUTHBEARER").orElseThrow();
        exchange.evaluate(clientFirst("", unsecured(Map.of("sub", "bob", "exp", nowSeconds() + 60))));
        assertThat(exchange.authenticatedUser()).isEqualTo("bob");
    }

    private void assertRefused(Map<String, Object> claims, String reason) {
        assertThatThrownBy(() -> validator.validate(unsecured(claims))).as(claims.toString())
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining(reason);
    }

    private static String token(String subject, long expiresInSeconds, String scope) {
        long now = nowSeconds();
        return unsecured(Map.of("sub", subject, "iat", now, "exp", now + expiresInSeconds, "scope", scope));
    }
}
