package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import io.gregor.testkit.GregorProcess;
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
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster encrypted between its nodes: brokers replicate over an SSL inter-broker
 * listener (INTERNAL) that requires client certificates, and the metadata quorum runs over an SSL
 * controller listener (mutual TLS). Each node has a key pair of its own, with a certificate for
 * 127.0.0.1; one trust store holds the three certificates. Clients use the PLAINTEXT listener
 * every node of a {@link GregorCluster} has, so everything encrypted here is between nodes: a
 * follower in the ISR has fetched over TLS, and a new leader was elected over TLS. ACLs are
 * enforced, and the brokers are super users by their certificates' subjects (User:CN=node-N), so
 * a follower fetches only as the principal its certificate makes it. Broker-only
 * nodes run as separate processes: node 5 follows the quorum (the leader sends it the log over
 * TLS) and leads a partition; node 4, whose certificate the cluster trusts but whose own trust
 * store lacks the cluster's certificates, cannot join.
 */
class NodeTlsClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String SUPER_USERS =
            "User:CN=node-1;User:CN=node-2;User:CN=node-3;User:CN=node-5;User:ANONYMOUS";

    @TempDir
    static Path tempDir;
    private static GregorCluster cluster;
    private static Path certificates;
    /** The cluster's controller.quorum.voters, for a node that tries to join it. */
    private static volatile String voters;

    @BeforeAll
    static void start() throws Exception {
        certificates = tempDir.resolve("certificates");
        Files.createDirectories(certificates);
        List<Path> keyStores = new ArrayList<>();
        // Nodes 4 and 5 are broker-only nodes started by tests, trusted by the others; node 4's own
        // trust store is wrong.
        for (int id = 1; id <= 5; id++) {
            Path keyStore = TestCertificates.keyStore(certificates, "node-" + id, "node-" + id);
            TestCertificates.trustStore(certificates, "nodes-truststore", keyStore, "node-" + id);
            keyStores.add(keyStore);
        }
        List<Integer> internalPorts = PortFinder.freeLoopbackPorts(3);
        cluster = GregorCluster.start(tempDir.resolve("cluster"), 3, Map.ofEntries(
                        Map.entry("broker.heartbeat.interval.ms", "500"),
                        Map.entry("listener.security.protocol.map",
                                "PLAINTEXT:PLAINTEXT,INTERNAL:SSL,CONTROLLER:SSL"),
                        Map.entry("inter.broker.listener.name", "INTERNAL"),
                        Map.entry("ssl.keystore.type", "PKCS12"),
                        Map.entry("ssl.keystore.password", TestCertificates.PASSWORD),
                        Map.entry("ssl.truststore.location", certificates.resolve("nodes-truststore.p12").toString()),
                        Map.entry("ssl.truststore.type", "PKCS12"),
                        Map.entry("ssl.truststore.password", TestCertificates.PASSWORD),
                        // Only for the brokers' listener: the quorum is always mutual TLS.
                        Map.entry("listener.name.internal.ssl.client.auth", "required"),
                        // Brokers replicate as their certificates' subjects; the PLAINTEXT clients and
                        // the quorum's transport are User:ANONYMOUS.
                        Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                        Map.entry("super.users", SUPER_USERS)),
                (id, settings) -> {
                    voters = settings.get("controller.quorum.voters");
                    return Map.of(
                            "listeners", settings.get("listeners") + ",INTERNAL://127.0.0.1:"
                                    + internalPorts.get(id - 1),
                            "ssl.keystore.location", keyStores.get(id - 1).toString());
                });
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anRf3TopicReplicatesOverTlsAndItsLeaderCanBeStoppedWithoutLosingAnAcknowledgedRecord() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> brokerIds(admin).containsAll(List.of(1, 2, 3)));
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("secured",
                    Map.of(0, List.of(1, 2, 3))).configs(Map.of("min.insync.replicas", "2"))));
            await("every replica of secured in sync, fetched over TLS").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> partition(admin).isr().size() == 3);
        }

        List<String> sent = new ArrayList<>(produce("before", 200));
        int oldLeader;
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            oldLeader = partition(admin).leader().id();
        }
        cluster.stopNode(oldLeader);
        try {
            String survivors = String.join(",", cluster.nodeIds().stream().filter(id -> id != oldLeader)
                    .map(cluster::bootstrapServers).toList());
            try (Admin admin = Clients.admin(survivors)) {
                await("a new leader of secured").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                        .until(() -> partition(admin).leader() != null && partition(admin).leader().id() != oldLeader);
            }
            sent.addAll(produceTo(survivors, "after", 200)); // acks=all with the two remaining replicas
            try (KafkaConsumer<String, String> consumer = Clients.consumer(survivors, Map.of())) {
                consumer.assign(List.of(new TopicPartition("secured", 0)));
                assertThat(Clients.pollUntil(consumer, sent.size(), CLUSTER_TIMEOUT).stream()
                        .map(ConsumerRecord::value)).containsExactlyElementsOf(sent);
            }
        } finally {
            cluster.startNode(oldLeader);
        }
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("the old leader back in the ISR, caught up over TLS").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> partition(admin).isr().size() == 3);
        }
    }

    @Test
    void aBrokerOnlyNodeFollowsTheQuorumAndReplicatesOverTls() throws Exception {
        try (GregorProcess broker = brokerOnlyNode(5, certificates.resolve("nodes-truststore.p12")).start();
             Admin admin = Clients.admin(cluster.bootstrapServers())) {
            await("node 5 registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> brokerIds(admin).contains(5));
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("followed",
                    Map.of(0, List.of(5, 1, 2)))));
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                    Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
                for (int i = 0; i < 50; i++) {
                    acks.add(producer.send(new ProducerRecord<>("followed", Integer.toString(i), "value-" + i)));
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(60, TimeUnit.SECONDS); // led by node 5, in sync on nodes 1 and 2 over TLS
                }
            }
            await("every replica of followed in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeTopics(List.of("followed")).allTopicNames().get(30, TimeUnit.SECONDS)
                            .get("followed").partitions().get(0).isr().size() == 3);
            assertThat(broker.log()).doesNotContain("cannot join the metadata quorum");
        }
    }

    @Test
    void aBrokerWhoseTrustStoreDoesNotHoldTheClustersCertificatesDoesNotJoinAndSaysWhy() throws Exception {
        Path ownOnly = TestCertificates.trustStore(certificates, "node-4-only", certificates.resolve("node-4.p12"),
                "node-4");
        try (GregorProcess stranger = brokerOnlyNode(4, ownOnly).startWithoutWaiting()) {
            await("node 4 says why it cannot join").atMost(CLUSTER_TIMEOUT)
                    .until(() -> stranger.log().contains("Node 4 cannot join the metadata quorum"));
            assertThat(stranger.log()).contains("TLS handshake", "unable to find valid certification path");
            assertThat(stranger.isAlive()).isTrue();
            try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
                assertThat(brokerIds(admin)).doesNotContain(4);
            }
        }
    }

    /** A broker-only node, not started, with its own key pair and {@code trustStore}, listening as the others do. */
    private static GregorProcess brokerOnlyNode(int id, Path trustStore) {
        List<Integer> ports = PortFinder.freeLoopbackPorts(3);
        return new GregorProcess(tempDir.resolve("node-" + id), ports.get(0), Map.ofEntries(
                Map.entry("node.id", Integer.toString(id)),
                Map.entry("process.roles", "broker"),
                Map.entry("controller.quorum.voters", voters),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + ports.get(0) + ",INTERNAL://127.0.0.1:"
                        + ports.get(1) + ",CONTROLLER://127.0.0.1:" + ports.get(2)),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:SSL,CONTROLLER:SSL"),
                Map.entry("inter.broker.listener.name", "INTERNAL"),
                Map.entry("broker.heartbeat.interval.ms", "500"),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("super.users", SUPER_USERS),
                Map.entry("ssl.keystore.location", certificates.resolve("node-" + id + ".p12").toString()),
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.keystore.password", TestCertificates.PASSWORD),
                Map.entry("ssl.truststore.location", trustStore.toString()),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.truststore.password", TestCertificates.PASSWORD),
                Map.entry("listener.name.internal.ssl.client.auth", "required")));
    }

    private static List<Integer> brokerIds(Admin admin) throws Exception {
        return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(node -> node.id()).toList();
    }

    private static List<String> produce(String prefix, int count) throws Exception {
        return produceTo(cluster.bootstrapServers(), prefix, count);
    }

    /** Sends {@code count} records with acks=all and returns their values once every one is acknowledged. */
    private static List<String> produceTo(String bootstrap, String prefix, int count) throws Exception {
        List<String> sent = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap,
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000))) {
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i;
                acks.add(producer.send(new ProducerRecord<>("secured", Integer.toString(i), value)));
                sent.add(value);
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(90, TimeUnit.SECONDS);
            }
        }
        return sent;
    }

    private static TopicPartitionInfo partition(Admin admin) throws Exception {
        TopicDescription description = admin.describeTopics(List.of("secured")).allTopicNames()
                .get(30, TimeUnit.SECONDS).get("secured");
        return description.partitions().get(0);
    }
}
