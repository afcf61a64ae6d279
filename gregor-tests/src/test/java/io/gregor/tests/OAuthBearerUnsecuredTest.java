package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL/OAUTHBEARER with Kafka's default, unsecured tokens, as a development set-up has it: real
 * clients log in with Kafka's OAuthBearerLoginModule and its unsecured token options, and are the
 * principal their token names, for ACLs too. The listener requires the scope {@code kafka}.
 */
class OAuthBearerUnsecuredTest {
    private static final String LISTENER_JAAS = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule "
            + "required unsecuredValidatorRequiredScope=\"kafka\";";

    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String oauthBootstrap;

    @BeforeAll
    static void startBrokerAndGrant() throws Exception {
        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        oauthBootstrap = "127.0.0.1:" + ports.get(1);
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SASL_PLAINTEXT://127.0.0.1:" + ports.get(1),
                "sasl.enabled.mechanisms", "OAUTHBEARER",
                "listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config", LISTENER_JAAS,
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:admin")).start();
        try (Admin admin = admin("admin")) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("orders", 1, (short) 1)));
            admin.createAcls(List.of(
                    allow(ResourceType.TOPIC, "orders", AclOperation.WRITE),
                    allow(ResourceType.TOPIC, "orders", AclOperation.READ),
                    allow(ResourceType.GROUP, "alice-group", AclOperation.READ))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aClientIsTheSubjectOfItsTokenForAcls() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(oauthBootstrap, unsecured("alice", "kafka"))) {
            producer.send(new ProducerRecord<>("orders", "o-1", "from alice")).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> inGroup = new HashMap<>(unsecured("alice", "kafka"));
        inGroup.put(ConsumerConfig.GROUP_ID_CONFIG, "alice-group");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(oauthBootstrap, inGroup)) {
            consumer.subscribe(List.of("orders"));
            assertThat(Clients.pollUntil(consumer, 1, Duration.ofSeconds(60)).stream().map(ConsumerRecord::value))
                    .contains("from alice");
        }
        // bob's token is as good, but no ACL names User:bob
        try (KafkaProducer<String, String> producer = Clients.producer(oauthBootstrap, unsecured("bob", "kafka"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("orders", "o-2", "from bob"))
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aTokenWithoutTheRequiredScopeIsRefusedAndOthersGoOn() throws Exception {
        try (Admin carol = Admin.create(adminSettings(unsecured("carol", "reports")))) {
            assertThatThrownBy(() -> carol.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("insufficient_scope")
                    .hasMessageContaining("lacks kafka");
        }
        try (Admin admin = admin("admin")) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isNotEmpty();
        }
    }

    /** Kafka's unsecured login options, and a SASL extension, which the broker accepts and ignores. */
    private static Map<String, Object> unsecured(String subject, String scope) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "OAUTHBEARER",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule "
                        + "required unsecuredLoginStringClaim_sub=\"" + subject + "\" unsecuredLoginListClaim_scope=\","
                        + scope + ",other\" unsecuredLoginExtension_traceId=\"t-1\";");
    }

    private static Admin admin(String subject) {
        return Admin.create(adminSettings(unsecured(subject, "kafka")));
    }

    private static Map<String, Object> adminSettings(Map<String, Object> sasl) {
        Map<String, Object> settings = new HashMap<>(sasl);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, oauthBootstrap);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return settings;
    }

    private static AclBinding allow(ResourceType type, String name, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW));
    }
}
