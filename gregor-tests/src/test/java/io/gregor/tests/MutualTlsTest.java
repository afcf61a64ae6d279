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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl.client.auth=required}: the SSL listener serves clients whose certificate its trust
 * store holds, and turns away a client without one. With the ACL authorizer on, a client is the
 * principal its certificate names ({@code User:CN=...}, Kafka's default mapping): the one in
 * super.users may do everything, the other what its ACLs allow.
 */
class MutualTlsTest {
    @TempDir
    static Path dir;
    static GregorProcess broker;
    static String tlsBootstrap;
    static String brokerCertificate;
    static Path clientKeyStore;
    static Path readerKeyStore;

    @BeforeAll
    static void startBroker() throws Exception {
        Path brokerKeyStore = TestCertificates.keyStore(dir, "broker", "localhost");
        brokerCertificate = TestCertificates.certificatePem(brokerKeyStore, "broker");
        clientKeyStore = TestCertificates.keyStore(dir, "client", "trusted-client");
        readerKeyStore = TestCertificates.keyStore(dir, "reader", "reader-client");
        Path trustStore = TestCertificates.trustStore(dir, "broker-trust", clientKeyStore, "client");
        TestCertificates.trustStore(dir, "broker-trust", readerKeyStore, "reader");

        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        tlsBootstrap = "127.0.0.1:" + ports.get(1);
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",SSL://127.0.0.1:" + ports.get(1));
        settings.put("ssl.keystore.location", brokerKeyStore.toString());
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.password", TestCertificates.PASSWORD);
        settings.put("ssl.truststore.location", trustStore.toString());
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.password", TestCertificates.PASSWORD);
        settings.put("ssl.client.auth", "required");
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", "User:CN=trusted-client");
        broker = new GregorProcess(dir.resolve("data"), ports.get(0), settings).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aClientWithATrustedCertificateIsServed() throws Exception {
        Map<String, Object> tls = clientTls(clientKeyStore);
        try (Admin admin = admin(tls)) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("mutual", 1, (short) 1)));
        }
        try (KafkaProducer<String, String> producer = Clients.producer(tlsBootstrap, tls)) {
            producer.send(new ProducerRecord<>("mutual", "k", "from a trusted client")).get();
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(tlsBootstrap, tls)) {
            consumer.assign(List.of(new TopicPartition("mutual", 0)));
            assertThat(Clients.pollUntil(consumer, 1, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value).containsExactly("from a trusted client");
        }
    }

    @Test
    void aClientIsThePrincipalItsCertificateNames() throws Exception {
        Map<String, Object> trusted = clientTls(clientKeyStore);
        Map<String, Object> reader = clientTls(readerKeyStore);
        try (Admin admin = admin(trusted)) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("certified", 1, (short) 1)));
        }
        try (KafkaProducer<String, String> producer = Clients.producer(tlsBootstrap, trusted)) {
            producer.send(new ProducerRecord<>("certified", "k", "for the reader")).get();
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(tlsBootstrap, reader)) {
            consumer.assign(List.of(new TopicPartition("certified", 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin admin = admin(trusted)) {
            admin.createAcls(List.of(new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, "certified", PatternType.LITERAL),
                    new AccessControlEntry("User:CN=reader-client", "*", AclOperation.READ, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(tlsBootstrap, reader)) {
            consumer.assign(List.of(new TopicPartition("certified", 0)));
            assertThat(Clients.pollUntil(consumer, 1, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value).containsExactly("for the reader");
        }
    }

    @Test
    void aClientWithoutACertificateIsTurnedAway() {
        try (Admin admin = admin(serverTrust())) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    /** TLS with the client certificate of {@code keyStore}. */
    private static Map<String, Object> clientTls(Path keyStore) {
        Map<String, Object> tls = new HashMap<>(serverTrust());
        tls.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keyStore.toString());
        tls.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        tls.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        tls.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        return tls;
    }

    private static Admin admin(Map<String, Object> tls) {
        Map<String, Object> settings = new HashMap<>(tls);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tlsBootstrap);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return Admin.create(settings);
    }

    /** The client side of TLS that checks the broker's certificate. */
    private static Map<String, Object> serverTrust() {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL",
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
                SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, brokerCertificate);
    }
}
