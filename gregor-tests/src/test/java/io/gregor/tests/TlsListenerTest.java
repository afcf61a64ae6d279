package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
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
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SSL listener beside a PLAINTEXT one: real clients with {@code security.protocol=SSL} create a
 * topic, produce and read back through it (fetched records are read into buffers and encrypted,
 * not sent with sendfile), checking the broker's certificate against its address; a client that
 * talks plain text to the SSL port is cut off while the others go on.
 */
class TlsListenerTest {
    private static final int RECORDS = 2_000;

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String tlsBootstrap;
    static String certificatePem;

    @BeforeAll
    static void startBroker() throws Exception {
        Path keyStore = TestCertificates.keyStore(dir, "broker", "localhost");
        certificatePem = TestCertificates.certificatePem(keyStore, "broker");

        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        tlsBootstrap = "127.0.0.1:" + ports.get(1);
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SSL://127.0.0.1:" + ports.get(1),
                "ssl.keystore.location", keyStore.toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", TestCertificates.PASSWORD)).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void clientsProduceAndConsumeOverTls() throws Exception {
        Map<String, Object> tls = tlsClientSettings();
        Map<String, Object> adminSettings = new HashMap<>(tls);
        adminSettings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tlsBootstrap);
        try (Admin admin = Admin.create(adminSettings)) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("encrypted", 3, (short) 1)));
        }
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(tlsBootstrap, tls)) {
            for (int i = 0; i < RECORDS; i++) {
                String value = i + ":" + "x".repeat(1_000);
                sent.add(value);
                producer.send(new ProducerRecord<>("encrypted", Integer.toString(i), value));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(tlsBootstrap, tls)) {
            List<TopicPartition> partitions = List.of(new TopicPartition("encrypted", 0),
                    new TopicPartition("encrypted", 1), new TopicPartition("encrypted", 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> received = Clients.pollUntil(consumer, RECORDS, Duration.ofSeconds(60)).stream()
                    .map(ConsumerRecord::value)
                    .toList();
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        }
        // the same records over the PLAINTEXT listener, sent with sendfile
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(new TopicPartition("encrypted", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("encrypted", 0)));
            assertThat(Clients.pollUntil(consumer, 1, Duration.ofSeconds(30))).isNotEmpty();
        }
    }

    @Test
    void kcatProducesAndConsumesOverTls() throws Exception {
        Path ca = dir.resolve("broker.pem");
        String produced = kcat("alpha:one\nbeta:two\n", "-X", "security.protocol=ssl",
                "-X", "ssl.ca.location=" + ca, "-P", "-t", "encrypted-kcat", "-K", ":");
        String consumed = kcat("", "-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + ca,
                "-C", "-t", "encrypted-kcat", "-o", "beginning", "-e", "-f", "%k=%s\\n");

        assertThat(consumed.lines().filter(line -> line.contains("=")))
                .as(produced + consumed).containsExactly("alpha=one", "beta=two");
    }

    /** kcat (librdkafka, which .ci/run installs) against the SSL listener; fails on a non-zero exit. */
    private static String kcat(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", tlsBootstrap, "-m", "20"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kcat finished: " + output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void aPlainTextClientOnTheTlsPortIsCutOffAndOthersGoOn() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", Integer.parseInt(tlsBootstrap.split(":")[1]))) {
            plain.setSoTimeout((int) TimeUnit.SECONDS.toMillis(10));
            // an ApiVersions request's first bytes, which are not a TLS record
            plain.getOutputStream().write(new byte[] {0, 0, 0, 20, 0, 18, 0, 3, 0, 0, 0, 1, 0, 4, 't', 'e', 's', 't'});
            plain.getOutputStream().flush();
            assertThat(readUntilClosed(plain.getInputStream())).as("the broker closes the connection").isTrue();
        }
        Map<String, Object> adminSettings = new HashMap<>(tlsClientSettings());
        adminSettings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tlsBootstrap);
        try (Admin admin = Admin.create(adminSettings)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void theKeyStorePasswordIsNotShownByDescribeConfigs() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            ConfigEntry password = admin.describeConfigs(List.of(node)).all().get().get(node)
                    .get("ssl.keystore.password");
            assertThat(password.isSensitive()).isTrue();
            assertThat(password.value()).isNull();
        }
    }

    @Test
    void aWrongKeyStorePasswordStopsTheStartNamingTheSetting() throws Exception {
        int port = PortFinder.freeLoopbackPorts(1).get(0);
        GregorProcess misconfigured = new GregorProcess(dir.resolve("data-wrong-password"), port, Map.of(
                "listeners", "SSL://127.0.0.1:" + port,
                "ssl.keystore.location", dir.resolve("broker.p12").toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", "not-" + TestCertificates.PASSWORD));

        assertThat(misconfigured.runExpectingExit()).isEqualTo(2);
        assertThat(misconfigured.log()).contains("ssl.keystore.location").doesNotContain(TestCertificates.PASSWORD);
    }

    /** Reads what the broker sends (a TLS alert, perhaps) until it closes; false if it stays open. */
    private static boolean readUntilClosed(InputStream in) throws IOException {
        try {
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // the alert's bytes, if any
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static Map<String, Object> tlsClientSettings() {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL",
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
                SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, certificatePem);
    }
}
