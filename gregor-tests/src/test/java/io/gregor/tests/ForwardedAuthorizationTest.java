package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import io.gregor.testkit.PortFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster with the ACL authorizer on and a SASL_PLAINTEXT listener on every node:
 * topic deletions and config changes sent to a node that is not the active controller are
 * forwarded in Envelopes and authorized there as the client who sent them. admin is a super user;
 * alice has no ACL and allow.everyone.if.no.acl.found is false, so she may change nothing.
 *
 * <p>The nodes reach each other (replication, registration, heartbeats, forwarding) over the
 * PLAINTEXT inter-broker listener as User:ANONYMOUS, which needs CLUSTER_ACTION on the cluster
 * before any ACL can be created: super.users is how it gets it. Raw connections pin each request
 * to one node, which the AdminClient does not let one choose (it sends these to the active
 * controller).
 */
class ForwardedAuthorizationTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String PLAIN_USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

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
                        "super.users", "User:ANONYMOUS;User:admin",
                        "allow.everyone.if.no.acl.found", "false",
                        "sasl.enabled.mechanisms", "PLAIN",
                        "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_USERS),
                (id, settings) -> Map.of("listeners",
                        settings.get("listeners") + ",SASL_PLAINTEXT://127.0.0.1:" + saslPorts.get(id - 1)));
        // Registration and heartbeats reach the controller as User:ANONYMOUS: CLUSTER_ACTION needed.
        try (Admin admin = admin("admin", "admin-secret")) {
            await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == 3);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSuperUserDeletesATopicThroughANodeThatIsNotTheController() throws Exception {
        createTopic("admins-doomed");

        try (RawConnection connection = authenticated(notController(), "admin", "admin-secret")) {
            assertThat(delete(connection, "admins-doomed")).isEqualTo(Errors.NONE);
        }

        try (Admin admin = admin("admin", "admin-secret")) {
            await("admins-doomed deleted").atMost(CLUSTER_TIMEOUT)
                    .until(() -> !admin.listTopics().names().get().contains("admins-doomed"));
        }
    }

    @Test
    void aUserWithoutAclsCannotDeleteATopicThroughANodeThatIsNotTheController() throws Exception {
        createTopic("kept");

        try (RawConnection connection = authenticated(notController(), "alice", "alice-secret")) {
            Errors error = delete(connection, "kept");
            assertThat(error).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
            assertThat(error.exception()).isInstanceOf(TopicAuthorizationException.class);
        }
        // nor through the AdminClient, which goes to the controller itself
        try (Admin alice = admin("alice", "alice-secret")) {
            assertThatThrownBy(() -> alice.deleteTopics(List.of("kept")).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }

        try (Admin admin = admin("admin", "admin-secret")) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
        }
    }

    @Test
    void configChangesThroughANodeThatIsNotTheControllerAreAuthorizedForTheClient() throws Exception {
        createTopic("configured");
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "configured");
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(notController()));
        Map<ConfigResource, Collection<AlterConfigOp>> aliceWants = Map.of(
                topic, List.of(set("retention.ms", "1000")),
                broker, List.of(set("log.retention.ms", "1000")));

        try (RawConnection connection = authenticated(notController(), "alice", "alice-secret")) {
            Map<String, Errors> errors = alterConfigs(connection, aliceWants);
            assertThat(errors).containsOnly(Map.entry("configured", Errors.TOPIC_AUTHORIZATION_FAILED),
                    Map.entry(broker.name(), Errors.CLUSTER_AUTHORIZATION_FAILED));
            assertThat(errors.get(broker.name()).exception()).isInstanceOf(ClusterAuthorizationException.class);
        }
        assertThat(retentionMs("configured")).isEqualTo("604800000");

        try (RawConnection connection = authenticated(notController(), "admin", "admin-secret")) {
            assertThat(alterConfigs(connection, Map.of(topic, List.of(set("retention.ms", "1000")))))
                    .containsOnly(Map.entry("configured", Errors.NONE));
        }
        await("retention.ms of configured altered").atMost(CLUSTER_TIMEOUT)
                .until(() -> retentionMs("configured").equals("1000"));
    }

    @Test
    void aUserWithAclsCreatesAReplicatedTopicProducesAndConsumesInAGroup() throws Exception {
        try (Admin admin = admin("admin", "admin-secret")) {
            admin.createAcls(List.of(
                    aliceMay(ResourceType.TOPIC, "alice-", AclOperation.CREATE),
                    aliceMay(ResourceType.TOPIC, "alice-", AclOperation.WRITE),
                    aliceMay(ResourceType.TOPIC, "alice-", AclOperation.READ),
                    aliceMay(ResourceType.GROUP, "alice-", AclOperation.READ)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (Admin alice = admin("alice", "alice-secret")) {
            Clients.createTopicsAndAwaitLeaders(alice, List.of(new NewTopic("alice-events", 3, (short) 3)));
        }
        Map<String, Object> security = saslSettings("alice", "alice-secret");
        Map<String, Object> producerSettings = new HashMap<>(security);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap(), producerSettings)) {
            for (int i = 0; i < 300; i++) {
                sent.add("event-" + i);
                producer.send(new ProducerRecord<>("alice-events", Integer.toString(i), "event-" + i));
            }
            producer.flush();
        }
        Map<String, Object> inGroup = new HashMap<>(security);
        inGroup.put(ConsumerConfig.GROUP_ID_CONFIG, "alice-readers");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(saslBootstrap(), inGroup)) {
            consumer.subscribe(List.of("alice-events"));
            assertThat(Clients.pollUntil(consumer, sent.size(), CLUSTER_TIMEOUT).stream().map(ConsumerRecord::value))
                    .containsExactlyInAnyOrderElementsOf(sent);
            consumer.commitSync();
        }
    }

    private static AclBinding aliceMay(ResourceType type, String prefix, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, prefix, PatternType.PREFIXED),
                new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW));
    }

    private static String saslBootstrap() {
        return saslPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    private static Errors delete(RawConnection connection, String topic) throws Exception {
        DeleteTopicsResponse response = (DeleteTopicsResponse) connection.send(new DeleteTopicsRequest.Builder(
                new DeleteTopicsRequestData().setTopicNames(List.of(topic)).setTimeoutMs(30_000)).build((short) 5));
        return Errors.forCode(response.data().responses().find(topic).errorCode());
    }

    private static Map<String, Errors> alterConfigs(RawConnection connection,
                                                    Map<ConfigResource, Collection<AlterConfigOp>> changes)
            throws Exception {
        IncrementalAlterConfigsResponse response = (IncrementalAlterConfigsResponse) connection.send(
                new IncrementalAlterConfigsRequest.Builder(changes, false).build((short) 1));
        return response.data().responses().stream().collect(Collectors.toMap(
                AlterConfigsResourceResponse::resourceName, r -> Errors.forCode(r.errorCode())));
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }

    private static String retentionMs(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = admin("admin", "admin-secret")) {
            return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                    .get("retention.ms").value();
        }
    }

    private static void createTopic(String name) throws Exception {
        try (Admin admin = admin("admin", "admin-secret")) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic(name, 3, (short) 3)));
        }
    }

    /** A connection to node {@code id}'s SASL listener, authenticated with PLAIN. */
    private static RawConnection authenticated(int id, String user, String password) throws Exception {
        RawConnection connection = new RawConnection("127.0.0.1:" + saslPorts.get(id - 1));
        SaslHandshakeResponse handshake = (SaslHandshakeResponse) connection.send(new SaslHandshakeRequest.Builder(
                new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 1));
        assertThat(handshake.data().errorCode()).isZero();
        byte[] token = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        SaslAuthenticateResponse authenticated = (SaslAuthenticateResponse) connection.send(
                new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData().setAuthBytes(token))
                        .build((short) 2));
        assertThat(authenticated.data().errorCode()).isZero();
        return connection;
    }

    private static int notController() {
        try (Admin admin = admin("admin", "admin-secret")) {
            await("an active controller").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().controller().get() != null);
            int controller = admin.describeCluster().controller().get().id();
            return cluster.nodeIds().stream().filter(id -> id != controller).findFirst().orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Admin admin(String user, String password) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, saslBootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.putAll(saslSettings(user, password));
        return Admin.create(props);
    }

    private static Map<String, Object> saslSettings(String user, String password) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + user + "\" password=\"" + password + "\";");
    }
}
