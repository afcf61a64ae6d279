package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACLs enforced on the data path: one broker with Kafka's StandardAuthorizer configured, a
 * SASL_PLAINTEXT listener with PLAIN users, and {@code User:admin} as the only super user. Admin
 * grants ACLs with the Admin client; alice and bob then produce, consume, list and create topics
 * with real clients and get what their ACLs allow and Kafka's authorization errors for the rest.
 */
class AuthorizationTest {
    private static final String USERS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_admin=\"admin-secret\" user_alice=\"alice-secret\" user_bob=\"bob-secret\";";

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String saslBootstrap;

    @BeforeAll
    static void startBrokerAndGrant() throws Exception {
        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        saslBootstrap = "127.0.0.1:" + ports.get(1);
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SASL_PLAINTEXT://127.0.0.1:" + ports.get(1),
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", USERS,
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:admin",
                // client quotas judged over 2 windows of 1 s, so that a throttle shows within seconds
                "quota.window.num", "2")).start();
        try (Admin admin = admin("admin")) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("orders", 2, (short) 1),
                    new NewTopic("payments", 1, (short) 1)));
            admin.createAcls(List.of(
                    allow("alice", ResourceType.TOPIC, "orders", PatternType.PREFIXED, AclOperation.WRITE),
                    allow("alice", ResourceType.TOPIC, "orders", PatternType.PREFIXED, AclOperation.READ),
                    allow("alice", ResourceType.GROUP, "alice-", PatternType.PREFIXED, AclOperation.READ),
                    allow("bob", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.DESCRIBE),
                    allow("bob", ResourceType.GROUP, "*", PatternType.LITERAL, AclOperation.READ)))
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
    void aUserProducesAndConsumesInAGroupWhereItsAclsAllow() throws Exception {
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap, plain("alice"))) {
            for (int i = 0; i < 100; i++) {
                sent.add("order-" + i);
                producer.send(new ProducerRecord<>("orders", Integer.toString(i), "order-" + i));
            }
            producer.flush();
            producer.send(new ProducerRecord<>("orders", "last", "order-last")).get(30, TimeUnit.SECONDS);
            sent.add("order-last");
        }
        Map<String, Object> inGroup = new HashMap<>(plain("alice"));
        inGroup.put(ConsumerConfig.GROUP_ID_CONFIG, "alice-orders");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(saslBootstrap, inGroup)) {
            consumer.subscribe(List.of("orders"));
            assertThat(Clients.pollUntil(consumer, sent.size(), Duration.ofSeconds(60)).stream()
                    .map(ConsumerRecord::value)).containsExactlyInAnyOrderElementsOf(sent);
            consumer.commitSync();
        }
    }

    @Test
    void clientQuotasNeedTheClustersConfigPermissionsAndApplyToTheAuthenticatedUser() throws Exception {
        ClientQuotaEntity alicesClient = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "alice",
                ClientQuotaEntity.CLIENT_ID, "quota-client"));
        ClientQuotaAlteration alteration = new ClientQuotaAlteration(alicesClient,
                List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 10_000.0)));
        try (Admin alice = admin("alice")) {
            assertThatThrownBy(() -> alice.alterClientQuotas(List.of(alteration)).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> alice.describeClientQuotas(ClientQuotaFilter.all()).entities()
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ClusterAuthorizationException.class);
        }
        try (Admin admin = admin("admin")) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("orders-quota", 1, (short) 1)));
            admin.alterClientQuotas(List.of(alteration)).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get(30, TimeUnit.SECONDS))
                    .containsEntry(alicesClient, Map.of("producer_byte_rate", 10_000.0));
        }

        // 50 KB against 10 KB/s judged over at least 1 s: alice's client is throttled; admin's
        // client with the same client id is not, as the quota names the user alice.
        assertThat(produceThrottleTimeMax("alice", "quota-client")).isPositive();
        assertThat(produceThrottleTimeMax("admin", "quota-client")).isZero();
    }

    /** Sends 50 records of 1,000 bytes as the user, with the client id, and reads the producer's own throttle metric. */
    private static double produceThrottleTimeMax(String user, String clientId) throws Exception {
        Map<String, Object> settings = new HashMap<>(plain(user));
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap, settings)) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("orders-quota", "x".repeat(1_000)));
            }
            producer.send(new ProducerRecord<>("orders-quota", "last")).get(30, TimeUnit.SECONDS);
            return producer.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("produce-throttle-time-max"))
                    .map(e -> (Double) e.getValue().metricValue()).findFirst().orElseThrow();
        }
    }

    @Test
    void producingToATopicWithoutWriteIsATopicAuthorizationError() {
        Map<String, Object> settings = new HashMap<>(plain("alice"));
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap, settings)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "v")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void topicsAUserMayNotDescribeAreLeftOutOfItsListings() throws Exception {
        try (Admin alice = admin("alice"); Admin bob = admin("bob"); Admin anonymous = Clients.admin(broker.bootstrapServers())) {
            assertThat(alice.listTopics().names().get(30, TimeUnit.SECONDS)).containsExactly("orders");
            assertThat(bob.listTopics().names().get(30, TimeUnit.SECONDS)).containsExactly("orders");
            assertThat(anonymous.listTopics().names().get(30, TimeUnit.SECONDS)).isEmpty();
            assertThatThrownBy(() -> alice.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    "payments"))).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void toolsAreToldWhatAUserMayDo() throws Exception {
        try (Admin alice = admin("alice"); Admin admin = admin("admin")) {
            Set<AclOperation> onOrders = alice.describeTopics(List.of("orders"),
                            new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get("orders").authorizedOperations();
            assertThat(onOrders).containsExactlyInAnyOrder(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
            assertThat(alice.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                    .authorizedOperations().get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                    .authorizedOperations().get(30, TimeUnit.SECONDS))
                    .contains(AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.CLUSTER_ACTION);
        }
    }

    @Test
    void describeWithoutReadLetsAConsumerFindTheTopicButNotReadIt() {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(saslBootstrap, plain("bob"))) {
            consumer.assign(List.of(new TopicPartition("orders", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("orders", 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aGroupOutsideTheUsersAclsIsAGroupAuthorizationError() {
        Map<String, Object> inGroup = new HashMap<>(plain("alice"));
        inGroup.put(ConsumerConfig.GROUP_ID_CONFIG, "someone-elses-group");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(saslBootstrap, inGroup)) {
            consumer.subscribe(List.of("orders"));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30)))
                    .isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void creatingTopicsNeedsCreate() throws Exception {
        try (Admin alice = admin("alice"); Admin admin = admin("admin")) {
            assertThatThrownBy(() -> alice.createTopics(List.of(new NewTopic("scratch-1", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("scratch-1");

            admin.createAcls(List.of(allow("alice", ResourceType.TOPIC, "scratch-", PatternType.PREFIXED,
                    AclOperation.CREATE))).all().get(30, TimeUnit.SECONDS);
            alice.createTopics(List.of(new NewTopic("scratch-1", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("scratch-1");
        }
    }

    @Test
    void aDeletedAclNoLongerAllowsTheNextRequest() throws Exception {
        AclBinding write = allow("alice", ResourceType.TOPIC, "ledger", PatternType.LITERAL, AclOperation.WRITE);
        try (Admin admin = admin("admin")) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("ledger", 1, (short) 1)));
            admin.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> settings = new HashMap<>(plain("alice"));
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = Clients.producer(saslBootstrap, settings)) {
            producer.send(new ProducerRecord<>("ledger", "k", "allowed")).get(30, TimeUnit.SECONDS);
            try (Admin admin = admin("admin")) {
                admin.deleteAcls(List.of(write.toFilter())).all().get(30, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("ledger", "k", "refused")).get(30, TimeUnit.SECONDS))
                    .as("WRITE was taken away").hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static Admin admin(String user) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, saslBootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.putAll(plain(user));
        return Admin.create(props);
    }

    private static Map<String, Object> plain(String user) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + user + "\" password=\"" + user + "-secret\";");
    }
}
