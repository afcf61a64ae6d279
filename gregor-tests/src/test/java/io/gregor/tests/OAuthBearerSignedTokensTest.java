package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL/OAUTHBEARER with signed tokens (KIP-768), configured as a Kafka 4 broker's server.properties
 * would be: Kafka's OAuthBearerValidatorCallbackHandler named for the listener, the identity
 * provider's JWKS (a file: URL, allowed by the JVM property Kafka 4 asks for), the expected
 * audience and issuer. Real clients get RS256 tokens from the {@link TestIdentityProvider} through a
 * login callback handler, as they would from a token endpoint.
 */
class OAuthBearerSignedTokensTest {
    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String oauthBootstrap;

    @BeforeAll
    static void startBroker() throws Exception {
        String jwks = TestIdentityProvider.publishJwks(dir);
        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        oauthBootstrap = "127.0.0.1:" + ports.get(1);
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SASL_PLAINTEXT://127.0.0.1:" + ports.get(1),
                "sasl.enabled.mechanisms", "OAUTHBEARER",
                "listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config", LOGIN_MODULE + " required ;",
                "listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler",
                "sasl.oauthbearer.jwks.endpoint.url", jwks,
                "sasl.oauthbearer.expected.audience", TestIdentityProvider.AUDIENCE,
                "sasl.oauthbearer.expected.issuer", TestIdentityProvider.ISSUER))
                .withJvmOptions("-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=" + jwks)
                .start();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("signed", 1, (short) 1)));
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aClientWithAGoodTokenProducesAndConsumes() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(oauthBootstrap, signed("sub=\"erin\""))) {
            producer.send(new ProducerRecord<>("signed", "k", "from erin")).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(oauthBootstrap, signed("sub=\"erin\""))) {
            consumer.assign(List.of(new TopicPartition("signed", 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThat(Clients.pollUntil(consumer, 1, Duration.ofSeconds(60)).stream().map(ConsumerRecord::value))
                    .contains("from erin");
        }
    }

    @Test
    void badTokensAreRefusedWithTheReasonAndGoodClientsGoOn() throws Exception {
        assertRefused(signed("sub=\"mallory\" trusted=\"false\""), "signature does not verify");
        assertRefused(signed("sub=\"mallory\" lifetimeSeconds=\"-120\""), "the token expired");
        assertRefused(signed("sub=\"mallory\" aud=\"billing\""), "audience (aud)");
        assertRefused(signed("sub=\"mallory\" iss=\"https://evil.example\""), "issuer (iss)");
        assertRefused(Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "OAUTHBEARER",
                SaslConfigs.SASL_JAAS_CONFIG, LOGIN_MODULE + " required unsecuredLoginStringClaim_sub=\"mallory\";"),
                "not signed by a key of the identity provider");
        try (Admin good = Admin.create(adminSettings(signed("sub=\"erin\"")))) {
            assertThat(good.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isNotEmpty();
        }
    }

    @Test
    void aClientReauthenticatesWithANewTokenBeforeItsTokenExpires() throws Exception {
        long tokenSeconds = 3;
        Map<String, Object> shortLived = new HashMap<>(signed("sub=\"frank\" lifetimeSeconds=\"" + tokenSeconds + "\""));
        // the client fetches a new token halfway through the old one's life (Kafka's bounds allow no earlier)
        shortLived.put(SaslConfigs.SASL_LOGIN_REFRESH_WINDOW_FACTOR, 0.5);
        shortLived.put(SaslConfigs.SASL_LOGIN_REFRESH_WINDOW_JITTER, 0.0);
        shortLived.put(SaslConfigs.SASL_LOGIN_REFRESH_MIN_PERIOD_SECONDS, (short) 0);
        shortLived.put(SaslConfigs.SASL_LOGIN_REFRESH_BUFFER_SECONDS, (short) 0);
        long sessionsEndedBefore = sessionsEnded();
        List<Long> offsets = new ArrayList<>();
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = Clients.producer(oauthBootstrap, shortLived)) {
            // bounded: at most 60 s, a send every 50 ms until three token lifetimes have passed
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                offsets.add(producer.send(new ProducerRecord<>("signed", "frank", "still here")).get(10,
                        TimeUnit.SECONDS).offset());
                return System.nanoTime() - start > TimeUnit.SECONDS.toNanos(3 * tokenSeconds);
            });
        }
        assertThat(offsets).hasSizeGreaterThan(3).doesNotHaveDuplicates();
        assertThat(TestIdentityProvider.tokensIssuedTo("frank")).as("new tokens were fetched").isGreaterThanOrEqualTo(3);
        assertThat(sessionsEnded()).as("no session outlived its token: the client re-authenticated in time")
                .isEqualTo(sessionsEndedBefore);
    }

    @Test
    void aConnectionThatDoesNotReauthenticateIsClosedWhenItsTokenExpires() throws Exception {
        try (RawConnection connection = new RawConnection(oauthBootstrap)) {
            SaslHandshakeResponse handshake = (SaslHandshakeResponse) connection.send(new SaslHandshakeRequest.Builder(
                    new SaslHandshakeRequestData().setMechanism("OAUTHBEARER")).build((short) 1));
            assertThat(handshake.data().errorCode()).isZero();
            String token = TestIdentityProvider.token("grace", TestIdentityProvider.AUDIENCE,
                    TestIdentityProvider.ISSUER, 3, true);
            byte[] clientFirst = ("n,,\u0001auth=Bearer " + token + "\u0001\u0001").getBytes(StandardCharsets.UTF_8);
            SaslAuthenticateResponse authenticated = (SaslAuthenticateResponse) connection.send(
                    new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData().setAuthBytes(clientFirst))
                            .build((short) 2));
            assertThat(authenticated.data().errorCode()).isZero();
            assertThat(authenticated.data().sessionLifetimeMs()).as("what is left of the token's 3 s")
                    .isBetween(1_000L, 3_000L);
            MetadataRequest.Builder metadata = new MetadataRequest.Builder(List.of("signed"), false);
            assertThat(((MetadataResponse) connection.send(metadata.build((short) 12))).topicMetadata()).hasSize(1);
            // bounded: the token expires within 3 s; the next request after that closes the connection
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    connection.send(metadata.build((short) 12));
                    return false;
                } catch (IOException closed) {
                    return true;
                }
            });
        }
        assertThat(sessionsEnded()).isPositive();
    }

    @Test
    void aJwksUrlThatIsNotAllowedStopsTheStart() throws Exception {
        String jwks = TestIdentityProvider.publishJwks(dir);
        int port = PortFinder.freeLoopbackPorts(1).get(0);
        try (GregorProcess misconfigured = new GregorProcess(dir.resolve("refused"), port, Map.of(
                "listeners", "SASL_PLAINTEXT://127.0.0.1:" + port,
                "sasl.enabled.mechanisms", "OAUTHBEARER",
                "sasl.oauthbearer.jwks.endpoint.url", jwks))) {
            assertThat(misconfigured.runExpectingExit()).isEqualTo(2);
            assertThat(misconfigured.log()).contains("sasl.oauthbearer.jwks.endpoint.url")
                    .contains("-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls");
        }
    }

    /** How many connections the broker closed so far because their session ended without a re-authentication. */
    private static long sessionsEnded() {
        return broker.log().lines().filter(line -> line.contains("session ended without a re-authentication")).count();
    }

    private static void assertRefused(Map<String, Object> sasl, String reason) {
        try (Admin admin = Admin.create(adminSettings(sasl))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("invalid_token")
                    .hasMessageContaining(reason);
        }
    }

    /** A client whose tokens come from the test identity provider, with these login module options. */
    private static Map<String, Object> signed(String options) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "OAUTHBEARER",
                SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, SignedTokenLoginCallbackHandler.class.getName(),
                SaslConfigs.SASL_JAAS_CONFIG, LOGIN_MODULE + " required " + options + ";");
    }

    private static Map<String, Object> adminSettings(Map<String, Object> sasl) {
        Map<String, Object> settings = new HashMap<>(sasl);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, oauthBootstrap);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return settings;
    }
}
