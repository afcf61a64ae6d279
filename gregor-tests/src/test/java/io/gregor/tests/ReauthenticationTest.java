package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connections.max.reauth.ms} (KIP-368) with real clients: a producer that stays connected
 * past its session's lifetime re-authenticates on the same connection and goes on, and one whose
 * SCRAM credential is deleted is turned away at its next re-authentication, without reconnecting.
 */
class ReauthenticationTest {
    private static final long SESSION_MS = 1_000;
    private static final String PLAIN_ADMIN = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_admin=\"admin-secret\";";

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String saslBootstrap;

    @BeforeAll
    static void startBroker() throws Exception {
        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        saslBootstrap = "127.0.0.1:" + ports.get(1);
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SASL_PLAINTEXT://127.0.0.1:" + ports.get(1),
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_ADMIN,
                "connections.max.reauth.ms", Long.toString(SESSION_MS))).start();
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("sessions", 1, (short) 1)));
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("erin", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
                            4096), "erin-secret"),
                    new UserScramCredentialUpsertion("frank", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
                            4096), "frank-secret"))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aClientReauthenticatesBeforeItsSessionEndsAndGoesOn() throws Exception {
        List<Long> offsets = new ArrayList<>();
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap, scram("erin"))) {
            // bounded: at most 30 s, a send every 50 ms until three session lifetimes have passed
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                offsets.add(producer.send(new ProducerRecord<>("sessions", "erin", "still here")).get(10,
                        TimeUnit.SECONDS).offset());
                return System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(3 * SESSION_MS);
            });
        }
        assertThat(offsets).hasSizeGreaterThan(3).doesNotHaveDuplicates();
        assertThat(broker.log()).as("no session ran out: the client renewed each in time")
                .doesNotContain("session ended without a re-authentication");
    }

    @Test
    void aDeletedCredentialStopsWorkingOnAConnectionThatIsOpen() throws Exception {
        KafkaProducer<String, String> producer = Clients.producer(saslBootstrap, scram("frank"));
        try {
            producer.send(new ProducerRecord<>("sessions", "frank", "allowed")).get(10, TimeUnit.SECONDS);
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("frank",
                        ScramMechanism.SCRAM_SHA_256))).all().get(30, TimeUnit.SECONDS);
            }
            // within a session's lifetime the producer must re-authenticate, and cannot any more
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThatThrownBy(() -> producer.send(new ProducerRecord<>("sessions", "frank", "refused"))
                            .get(10, TimeUnit.SECONDS))
                            .hasCauseInstanceOf(SaslAuthenticationException.class));
        } finally {
            // at once: records it may still hold would otherwise wait out delivery.timeout.ms
            producer.close(Duration.ZERO);
        }
    }

    private static Map<String, Object> scram(String user) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"" + user + "\" password=\"" + user + "-secret\";");
    }
}
