package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import io.gregor.testkit.PortFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster whose brokers replicate over a SASL_SSL inter-broker listener (INTERNAL,
 * PLAIN inside TLS) and whose metadata quorum runs over an SSL controller listener. The nodes'
 * certificates name hosts that are not where the nodes are reached (node-N.example.com, no
 * 127.0.0.1), so the cluster forms only because ssl.endpoint.identification.algorithm is empty:
 * the trust store alone vouches for the nodes, on both links. The mechanism is set for the INTERNAL
 * listener alone (listener.name.internal.sasl.enabled.mechanisms).
 */
class NodeSaslSslClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"broker\" password=\"broker-secret\" user_broker=\"broker-secret\";";

    @TempDir
    static Path tempDir;
    private static GregorCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        Path certificates = tempDir.resolve("certificates");
        Files.createDirectories(certificates);
        List<Path> keyStores = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            Path keyStore = TestCertificates.keyStore(certificates, "node-" + id, "node-" + id,
                    "dns:node-" + id + ".example.com");
            TestCertificates.trustStore(certificates, "nodes-truststore", keyStore, "node-" + id);
            keyStores.add(keyStore);
        }
        List<Integer> internalPorts = PortFinder.freeLoopbackPorts(3);
        cluster = GregorCluster.start(tempDir.resolve("cluster"), 3, Map.ofEntries(
                        Map.entry("broker.heartbeat.interval.ms", "500"),
                        Map.entry("listener.security.protocol.map",
                                "PLAINTEXT:PLAINTEXT,INTERNAL:SASL_SSL,CONTROLLER:SSL"),
                        Map.entry("inter.broker.listener.name", "INTERNAL"),
                        // Kafka's default GSSAPI stays for the other listeners, which are not SASL.
                        Map.entry("listener.name.internal.sasl.enabled.mechanisms", "PLAIN"),
                        Map.entry("sasl.mechanism.inter.broker.protocol", "PLAIN"),
                        Map.entry("listener.name.internal.plain.sasl.jaas.config", JAAS),
                        Map.entry("ssl.endpoint.identification.algorithm", ""),
                        Map.entry("ssl.keystore.type", "PKCS12"),
                        Map.entry("ssl.keystore.password", TestCertificates.PASSWORD),
                        Map.entry("ssl.truststore.location", certificates.resolve("nodes-truststore.p12").toString()),
                        Map.entry("ssl.truststore.type", "PKCS12"),
                        Map.entry("ssl.truststore.password", TestCertificates.PASSWORD)),
                (id, settings) -> Map.of(
                        "listeners", settings.get("listeners") + ",INTERNAL://127.0.0.1:" + internalPorts.get(id - 1),
                        "ssl.keystore.location", keyStores.get(id - 1).toString()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void brokersReplicateOverSaslSslAndClientsReadWhatWasAcknowledged() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get().size() == 3);
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("sealed", 3, (short) 3)));
            await("every replica of sealed in sync, fetched over SASL_SSL").atMost(CLUSTER_TIMEOUT)
                    .ignoreExceptions().until(() -> inSyncEverywhere(admin));
        }

        List<String> sent = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 300; i++) {
                sent.add("event-" + i);
                acks.add(producer.send(new ProducerRecord<>("sealed", Integer.toString(i), "event-" + i)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(new TopicPartition("sealed", 0), new TopicPartition("sealed", 1),
                    new TopicPartition("sealed", 2)));
            assertThat(Clients.pollUntil(consumer, sent.size(), CLUSTER_TIMEOUT).stream().map(ConsumerRecord::value))
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            assertThat(inSyncEverywhere(admin)).isTrue();
        }
    }

    private static boolean inSyncEverywhere(Admin admin) throws Exception {
        TopicDescription description = admin.describeTopics(List.of("sealed")).allTopicNames()
                .get(30, TimeUnit.SECONDS).get("sealed");
        return description.partitions().stream().allMatch(p -> p.replicas().size() == 3 && p.isr().size() == 3);
    }
}
