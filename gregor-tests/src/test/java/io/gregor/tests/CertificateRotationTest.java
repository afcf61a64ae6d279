package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate rotation on a running SSL listener, as Kafka's dynamic broker configs do it
 * (KIP-226): {@code listener.name.ssl.ssl.keystore.*} set for the broker with
 * Admin.incrementalAlterConfigs. Real clients that trust only the new certificate connect after the
 * change, a producer connected before keeps writing, and key stores that do not load or name
 * another subject are refused naming the key while the old certificate is still served. A key
 * store rewritten at the same path is taken when its location is set again (KAFKA-7429).
 */
class CertificateRotationTest {
    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, "1");

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String tlsBootstrap;
    static Path oldKeyStore;
    static Path newKeyStore;
    static Path otherSubjectKeyStore;
    static String oldCertificate;
    static String newCertificate;
    static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        oldKeyStore = TestCertificates.keyStore(dir, "old", "localhost");
        oldCertificate = TestCertificates.certificatePem(oldKeyStore, "old");
        newKeyStore = TestCertificates.keyStore(dir, "new", "localhost");
        newCertificate = TestCertificates.certificatePem(newKeyStore, "new");
        otherSubjectKeyStore = TestCertificates.keyStore(dir, "other", "somebody-else");

        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        tlsBootstrap = "127.0.0.1:" + ports.get(1);
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SSL://127.0.0.1:" + ports.get(1),
                "ssl.keystore.location", oldKeyStore.toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", TestCertificates.PASSWORD)).start();
        admin = Clients.admin(broker.bootstrapServers());
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("rotated", 1, (short) 1)));
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void clientsTrustingOnlyTheNewCertificateConnectAfterTheChangeAndOpenConnectionsStayUp() throws Exception {
        try (KafkaProducer<String, String> connectedBefore = Clients.producer(tlsBootstrap, trusting(oldCertificate))) {
            connectedBefore.send(new ProducerRecord<>("rotated", "before")).get();
            assertThat(canConnect(newCertificate)).isFalse();

            alter(set("listener.name.ssl.ssl.keystore.location", newKeyStore.toString()),
                    set("listener.name.ssl.ssl.keystore.password", TestCertificates.PASSWORD),
                    set("listener.name.ssl.ssl.keystore.type", "PKCS12"));

            await("the new certificate served").atMost(Duration.ofSeconds(30)).until(() -> canConnect(newCertificate));
            assertThat(canConnect(oldCertificate)).isFalse();
            connectedBefore.send(new ProducerRecord<>("rotated", "after, on the old connection")).get();

            ConfigEntry password = admin.describeConfigs(List.of(BROKER)).all().get().get(BROKER)
                    .get("listener.name.ssl.ssl.keystore.password");
            assertThat(password.isSensitive()).isTrue();
            assertThat(password.value()).isNull();
            assertThat(password.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);
        }
    }

    @Test
    void keyStoresThatDoNotLoadOrNameAnotherSubjectAreRefusedAndTheCertificateInForceStays() throws Exception {
        String served = canConnect(oldCertificate) ? oldCertificate : newCertificate;

        assertThatThrownBy(() -> alter(set("listener.name.ssl.ssl.keystore.location", newKeyStore.toString()),
                set("listener.name.ssl.ssl.keystore.password", "wrong-password"),
                set("listener.name.ssl.ssl.keystore.type", "PKCS12")))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("listener.name.ssl.ssl.keystore.location")
                .hasMessageNotContaining("wrong-password");
        assertThatThrownBy(() -> alter(set("listener.name.ssl.ssl.keystore.location", otherSubjectKeyStore.toString()),
                set("listener.name.ssl.ssl.keystore.password", TestCertificates.PASSWORD),
                set("listener.name.ssl.ssl.keystore.type", "PKCS12")))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("listener.name.ssl.ssl.keystore.location")
                .hasMessageContaining("DistinguishedName does not match");
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                new ConfigResource(ConfigResource.Type.BROKER, ""),
                List.of(set("listener.name.ssl.ssl.keystore.location", newKeyStore.toString())))).all().get())
                .hasCauseInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("broker id must be specified");

        assertThat(canConnect(served)).isTrue();
    }

    @Test
    void aKeyStoreRenewedAtTheSamePathIsTakenWhenItsLocationIsSetAgain() throws Exception {
        String served = canConnect(oldCertificate) ? oldCertificate : newCertificate;
        Path firstIssue = TestCertificates.keyStore(dir, "first-issue", "localhost");
        String firstCertificate = TestCertificates.certificatePem(firstIssue, "first-issue");
        Path renewal = TestCertificates.keyStore(dir, "renewal", "localhost");
        String renewedCertificate = TestCertificates.certificatePem(renewal, "renewal");
        Path inPlace = Files.copy(firstIssue, dir.resolve("in-place.p12"));
        alter(set("listener.name.ssl.ssl.keystore.location", inPlace.toString()),
                set("listener.name.ssl.ssl.keystore.password", TestCertificates.PASSWORD),
                set("listener.name.ssl.ssl.keystore.type", "PKCS12"));
        await("the first issue served").atMost(Duration.ofSeconds(30)).until(() -> canConnect(firstCertificate));

        // a certificate manager renews the certificate where it is, then the operator asks for a reload
        Files.copy(renewal, inPlace, StandardCopyOption.REPLACE_EXISTING);
        alter(set("listener.name.ssl.ssl.keystore.location", inPlace.toString()));

        await("the renewed certificate served").atMost(Duration.ofSeconds(30)).until(() -> canConnect(renewedCertificate));
        assertThat(canConnect(firstCertificate)).isFalse();
        Files.copy(otherSubjectKeyStore, inPlace, StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> alter(set("listener.name.ssl.ssl.keystore.location", inPlace.toString())))
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("DistinguishedName does not match");
        assertThat(canConnect(renewedCertificate)).isTrue();

        // as it was, for the other cases
        alter(set("listener.name.ssl.ssl.keystore.location",
                (served.equals(oldCertificate) ? oldKeyStore : newKeyStore).toString()));
        await("the certificate served before").atMost(Duration.ofSeconds(30)).until(() -> canConnect(served));
    }

    private static Map<String, Object> trusting(String certificatePem) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL",
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
                SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, certificatePem);
    }

    /** Whether a new client trusting only this certificate gets an answer over the SSL listener. */
    private static boolean canConnect(String certificatePem) {
        Map<String, Object> settings = new HashMap<>(trusting(certificatePem));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tlsBootstrap);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin client = Admin.create(settings)) {
            client.describeCluster().clusterId().get();
            return true;
        } catch (ExecutionException | InterruptedException e) {
            return false;
        }
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static void alter(AlterConfigOp... ops) throws ExecutionException, InterruptedException {
        admin.incrementalAlterConfigs(Map.of(BROKER, List.of(ops))).all().get();
    }
}
