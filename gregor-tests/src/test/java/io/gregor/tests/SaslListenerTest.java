package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL_PLAINTEXT and SASL_SSL listeners beside a PLAINTEXT one, with PLAIN users from the
 * listeners' JAAS configs and SCRAM users created through the Admin API. Real clients (Java and
 * kcat) authenticate and then produce and consume; wrong passwords and clients that skip the
 * authentication are turned away while the others go on.
 */
class SaslListenerTest {
    private static final String PLAIN_USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_admin=\"admin-secret\" user_alice=\"alice-secret\";";
    private static final int RECORDS = 1_000;
    private static final Path PYTHON_SCRIPTS = Path.of("src", "test", "python");
    /** Debian's python3-kafka is seen by the system interpreter only (see KafkaPythonCompatibilityTest). */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String saslBootstrap;
    static String saslSslBootstrap;
    static String certificatePem;

    @BeforeAll
    static void startBroker() throws Exception {
        Path keyStore = TestCertificates.keyStore(dir, "broker", "localhost");
        certificatePem = TestCertificates.certificatePem(keyStore, "broker");
        List<Integer> ports = PortFinder.freeLoopbackPorts(3);
        saslBootstrap = "127.0.0.1:" + ports.get(1);
        saslSslBootstrap = "localhost:" + ports.get(2);
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SASL_PLAINTEXT://127.0.0.1:" + ports.get(1)
                        + ",SASL_SSL://localhost:" + ports.get(2),
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_USERS,
                "listener.name.sasl_ssl.plain.sasl.jaas.config", PLAIN_USERS,
                "ssl.keystore.location", keyStore.toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", TestCertificates.PASSWORD)).start();
        try (Admin admin = admin(saslBootstrap, plain("admin", "admin-secret"))) {
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                            "bob-secret"),
                    new UserScramCredentialUpsertion("carol",
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "carol-secret")))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void plainUsersProduceAndConsumeInAGroup() throws Exception {
        Map<String, Object> alice = plain("alice", "alice-secret");
        try (Admin admin = admin(saslBootstrap, alice)) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("plain-topic", 3, (short) 1)));
        }
        List<String> sent = produce(saslBootstrap, alice, "plain-topic");
        Map<String, Object> inGroup = new HashMap<>(alice);
        inGroup.put(ConsumerConfig.GROUP_ID_CONFIG, "plain-group");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(saslBootstrap, inGroup)) {
            consumer.subscribe(List.of("plain-topic"));
            assertThat(values(Clients.pollUntil(consumer, sent.size(), Duration.ofSeconds(60))))
                    .containsExactlyInAnyOrderElementsOf(sent);
            consumer.commitSync();
        }
    }

    @Test
    void scramUsersMadeWithTheAdminApiProduceAndConsume() throws Exception {
        List<String> sent = produce(saslBootstrap, scram("SCRAM-SHA-256", "bob", "bob-secret"), "scram-topic");
        assertThat(consumeAll(saslBootstrap, scram("SCRAM-SHA-512", "carol", "carol-secret"), "scram-topic"))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void scramOverTlsChecksTheBrokersCertificateAndTheUser() throws Exception {
        Map<String, Object> carol = new HashMap<>(scram("SCRAM-SHA-512", "carol", "carol-secret"));
        carol.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        carol.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        carol.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, certificatePem);
        List<String> sent = produce(saslSslBootstrap, carol, "tls-scram-topic");
        assertThat(consumeAll(saslSslBootstrap, carol, "tls-scram-topic")).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void wrongPasswordsAndUnknownUsersFailWithAnAuthenticationError() {
        for (Map<String, Object> wrong : List.of(plain("alice", "guess"), plain("mallory", "alice-secret"),
                scram("SCRAM-SHA-256", "bob", "guess"), scram("SCRAM-SHA-256", "carol", "carol-secret"))) {
            try (Admin admin = admin(saslBootstrap, wrong)) {
                assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .as(wrong.get(SaslConfigs.SASL_JAAS_CONFIG).toString())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
        // and the broker goes on serving the others
        try (Admin admin = admin(saslBootstrap, plain("alice", "alice-secret"))) {
            assertThat(admin.listTopics().names()).succeedsWithin(Duration.ofSeconds(30));
        }
    }

    @Test
    void aDeletedScramCredentialNoLongerAuthenticates() throws Exception {
        try (Admin admin = admin(saslBootstrap, plain("admin", "admin-secret"))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("dave",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "dave-secret")))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (Admin dave = admin(saslBootstrap, scram("SCRAM-SHA-256", "dave", "dave-secret"))) {
            assertThat(dave.listTopics().names()).succeedsWithin(Duration.ofSeconds(30));
        }
        try (Admin admin = admin(saslBootstrap, plain("admin", "admin-secret"))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("dave",
                    ScramMechanism.SCRAM_SHA_256))).all().get(30, TimeUnit.SECONDS);
        }
        try (Admin dave = admin(saslBootstrap, scram("SCRAM-SHA-256", "dave", "dave-secret"))) {
            assertThatThrownBy(() -> dave.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aClientThatSkipsAuthenticationGetsApiVersionsAndIsThenCutOff() throws Exception {
        try (RawConnection raw = new RawConnection(saslBootstrap)) {
            ApiVersionsResponse versions = (ApiVersionsResponse) raw.send(new ApiVersionsRequest.Builder().build());
            assertThat(versions.apiVersion((short) 17)).as("SaslHandshake is offered").isNotNull();
            assertThatThrownBy(() -> raw.send(new MetadataRequest.Builder(new MetadataRequestData()).build()))
                    .as("the broker closes the connection instead of answering")
                    .isInstanceOf(java.io.EOFException.class);
        }
        try (Admin admin = admin(saslBootstrap, plain("alice", "alice-secret"))) {
            assertThat(admin.listTopics().names()).succeedsWithin(Duration.ofSeconds(30));
        }
    }

    @Test
    void kcatAuthenticatesWithPlainAndScram() throws Exception {
        kcat("alpha:one\nbeta:two\n", "-X", "sasl.mechanisms=PLAIN", "-X", "sasl.username=alice",
                "-X", "sasl.password=alice-secret", "-P", "-t", "kcat-sasl", "-K", ":");
        String consumed = kcat("", "-X", "sasl.mechanisms=SCRAM-SHA-256", "-X", "sasl.username=bob",
                "-X", "sasl.password=bob-secret", "-C", "-t", "kcat-sasl", "-o", "beginning", "-e", "-f", "%k=%s\\n");
        assertThat(consumed.lines().filter(line -> line.contains("="))).as(consumed)
                .containsExactly("alpha=one", "beta=two");
    }

    @Test
    void kafkaPythonAuthenticatesWithBareSaslMessages() throws Exception {
        ChildProcess.require("install Debian's python3-kafka (apt-get install python3-kafka); .ci/run does",
                PYTHON, "-c", "import kafka");
        for (List<String> user : List.of(List.of("PLAIN", "alice", "alice-secret", "python-plain"),
                List.of("SCRAM-SHA-256", "bob", "bob-secret", "python-scram"))) {
            List<String> command = new ArrayList<>(List.of(PYTHON, "kafka_python_sasl.py", saslBootstrap));
            command.addAll(user);
            ChildProcess.Result result = ChildProcess.run(PYTHON_SCRIPTS, "", Duration.ofSeconds(120), command);

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(result.lines()).as("%s", result)
                    .contains("produced 3", "consumed k0=v0", "consumed k1=v1", "consumed k2=v2");
        }
        // a wrong password: the broker closes the connection, kafka-python gives up
        ChildProcess.Result refused = ChildProcess.run(PYTHON_SCRIPTS, "", Duration.ofSeconds(120), List.of(PYTHON,
                "kafka_python_sasl.py", saslBootstrap, "PLAIN", "alice", "guess", "python-refused"));
        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(refused.lines()).as("%s", refused).doesNotContain("produced 3");
    }

    @Test
    void plainUsersMayComeFromAJaasFile() throws Exception {
        Path jaas = dir.resolve("kafka_server_jaas.conf");
        Files.writeString(jaas, "KafkaServer {\n  " + PLAIN_USERS + "\n};\n", StandardCharsets.UTF_8);
        int port = PortFinder.freeLoopbackPorts(1).get(0);
        try (GregorProcess fromFile = new GregorProcess(dir.resolve("data-jaas-file"), port, Map.of(
                "listeners", "SASL_PLAINTEXT://127.0.0.1:" + port,
                "sasl.enabled.mechanisms", "PLAIN"))
                .withJvmOptions("-Djava.security.auth.login.config=" + jaas).start();
             Admin admin = admin(fromFile.bootstrapServers(), plain("alice", "alice-secret"))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void plainWithoutUsersStopsTheStartNamingTheSetting() {
        int port = PortFinder.freeLoopbackPorts(1).get(0);
        GregorProcess misconfigured = new GregorProcess(dir.resolve("data-no-users"), port, Map.of(
                "listeners", "SASL_PLAINTEXT://127.0.0.1:" + port,
                "sasl.enabled.mechanisms", "PLAIN"));

        assertThat(misconfigured.runExpectingExit()).isEqualTo(2);
        assertThat(misconfigured.log()).contains("listener.name.sasl_plaintext.plain.sasl.jaas.config");
    }

    private static List<String> produce(String bootstrap, Map<String, Object> security, String topic)
            throws Exception {
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, security)) {
            for (int i = 0; i < RECORDS; i++) {
                String value = topic + "-" + i;
                sent.add(value);
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), value));
            }
            producer.flush();
            producer.send(new ProducerRecord<>(topic, "last", topic + "-last")).get(30, TimeUnit.SECONDS);
            sent.add(topic + "-last");
        }
        return sent;
    }

    private static List<String> consumeAll(String bootstrap, Map<String, Object> security, String topic) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, security)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return values(Clients.pollUntil(consumer, RECORDS + 1, Duration.ofSeconds(60)));
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static Admin admin(String bootstrap, Map<String, Object> security) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.putAll(security);
        return Admin.create(props);
    }

    private static Map<String, Object> plain(String user, String password) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + user + "\" password=\"" + password + "\";");
    }

    private static Map<String, Object> scram(String mechanism, String user, String password) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, mechanism,
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"" + user + "\" password=\"" + password + "\";");
    }

    /** kcat over the SASL_PLAINTEXT listener; fails on a non-zero exit. */
    private static String kcat(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", saslBootstrap, "-m", "20",
                "-X", "security.protocol=sasl_plaintext"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kcat finished: " + output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
