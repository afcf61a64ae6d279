package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import io.gregor.testkit.PortFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster whose brokers talk to each other over a SASL_PLAINTEXT inter-broker
 * listener, authenticating as User:broker with PLAIN, with the ACL authorizer on and only
 * User:broker and User:admin as super users: User:ANONYMOUS has no rights at all. Replication,
 * ISR changes, forwarding and heartbeats then run as User:broker. The PLAINTEXT listener every
 * node of a {@link GregorCluster} has stays, to show an anonymous client gets nothing from it.
 */
class InterBrokerSaslTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"broker\" password=\"broker-secret\" "
            + "user_broker=\"broker-secret\" user_admin=\"admin-secret\";";

    @TempDir
    static Path tempDir;
    private static GregorCluster cluster;
    private static List<Integer> saslPorts;

    @BeforeAll
    static void start() {
        saslPorts = PortFinder.freeLoopbackPorts(3);
        cluster = GregorCluster.start(tempDir, 3, Map.of(
                        "broker.heartbeat.interval.ms", "500",
                        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users", "User:broker;User:admin",
                        "allow.everyone.if.no.acl.found", "false",
                        "sasl.enabled.mechanisms", "PLAIN",
                        "inter.broker.listener.name", "SASL_PLAINTEXT",
                        "sasl.mechanism.inter.broker.protocol", "PLAIN",
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS),
                (id, settings) -> Map.of("listeners",
                        settings.get("listeners") + ",SASL_PLAINTEXT://127.0.0.1:" + saslPorts.get(id - 1)));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theBrokersRegisterAndReplicateAsTheirSaslUserAndClientsProduceAndConsume() throws Exception {
        try (Admin admin = admin()) {
            await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == 3);
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("replicated", 3, (short) 3)));
            await("every replica of replicated in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> inSyncEverywhere(admin, "replicated"));
        }

        Map<String, Object> producerSettings = new HashMap<>(saslSettings());
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap(), producerSettings)) {
            for (int i = 0; i < 300; i++) {
                sent.add("event-" + i);
                producer.send(new ProducerRecord<>("replicated", Integer.toString(i), "event-" + i));
            }
            producer.flush(); // acks=all: each batch is on every in-sync replica, fetched over SASL
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(saslBootstrap(), saslSettings())) {
            consumer.assign(partitions("replicated"));
            assertThat(Clients.pollUntil(consumer, sent.size(), CLUSTER_TIMEOUT).stream().map(ConsumerRecord::value))
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
        try (Admin admin = admin()) {
            assertThat(inSyncEverywhere(admin, "replicated")).isTrue();
        }
    }

    @Test
    void aDeletionSentToANodeThatIsNotTheControllerIsForwardedOverTheSaslListener() throws Exception {
        try (Admin admin = admin()) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("doomed", 1, (short) 3)));
        }

        try (RawConnection connection = authenticatedAsAdmin(notController())) {
            DeleteTopicsResponse response = (DeleteTopicsResponse) connection.send(new DeleteTopicsRequest.Builder(
                    new DeleteTopicsRequestData().setTopicNames(List.of("doomed")).setTimeoutMs(30_000))
                    .build((short) 5));
            assertThat(Errors.forCode(response.data().responses().find("doomed").errorCode())).isEqualTo(Errors.NONE);
        }

        try (Admin admin = admin()) {
            await("doomed deleted").atMost(CLUSTER_TIMEOUT)
                    .until(() -> !admin.listTopics().names().get().contains("doomed"));
        }
    }

    @Test
    void anAnonymousClientOnThePlaintextListenerCannotReadATopic() throws Exception {
        try (Admin admin = admin()) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("private", 1, (short) 3)));
        }

        try (KafkaConsumer<String, String> anonymous = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            anonymous.assign(List.of(new TopicPartition("private", 0)));
            await("the anonymous consumer refused").atMost(CLUSTER_TIMEOUT).until(() -> {
                try {
                    anonymous.poll(Duration.ofMillis(500));
                    return false;
                } catch (TopicAuthorizationException refused) {
                    return true;
                }
            });
        }
    }

    private static boolean inSyncEverywhere(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic);
        return description.partitions().stream().allMatch(p -> p.replicas().size() == 3 && p.isr().size() == 3);
    }

    private static List<TopicPartition> partitions(String topic) {
        return List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
    }

    /** A connection to node {@code id}'s SASL listener, authenticated as admin with PLAIN. */
    private static RawConnection authenticatedAsAdmin(int id) throws Exception {
        RawConnection connection = new RawConnection("127.0.0.1:" + saslPorts.get(id - 1));
        SaslHandshakeResponse handshake = (SaslHandshakeResponse) connection.send(new SaslHandshakeRequest.Builder(
                new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 1));
        assertThat(handshake.data().errorCode()).isZero();
        SaslAuthenticateResponse authenticated = (SaslAuthenticateResponse) connection.send(
                new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData()
                        .setAuthBytes("\0admin\0admin-secret".getBytes(StandardCharsets.UTF_8))).build((short) 2));
        assertThat(authenticated.data().errorCode()).isZero();
        return connection;
    }

    private static int notController() throws Exception {
        try (Admin admin = admin()) {
            await("an active controller").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().controller().get() != null);
            int controller = admin.describeCluster().controller().get().id();
            return cluster.nodeIds().stream().filter(id -> id != controller).findFirst().orElseThrow();
        }
    }

    private static String saslBootstrap() {
        return saslPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, saslBootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.putAll(saslSettings());
        return Admin.create(props);
    }

    private static Map<String, Object> saslSettings() {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"admin\" password=\"admin-secret\";");
    }
}
