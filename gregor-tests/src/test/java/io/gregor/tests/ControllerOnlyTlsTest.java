package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.GregorProcessCluster;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A controller-only node (the quorum's one voter) and two broker-only nodes, each in its own
 * process, whose controller listeners are SSL. The controller has no Kafka listener, so the brokers
 * register, heartbeat and send ISR changes to it over the quorum's transport, which is then mutual
 * TLS, and follow the metadata log over it. All nodes share one key pair, for 127.0.0.1.
 */
class ControllerOnlyTlsTest {
    @RegisterExtension
    static final GregorProcessCluster cluster = GregorProcessCluster.of(dir -> GregorProcess.clusterWithRoles(dir,
            List.of("controller", "broker", "broker"), tlsSettings(dir)));

    @Test
    void brokersRegisterWithTheControllerOverTlsAndReplicate() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
            cluster.awaitBrokersRegistered(admin);
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("guarded", 2, (short) 2)));
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 100; i++) {
                acks.add(producer.send(new ProducerRecord<>("guarded", Integer.toString(i), "value-" + i)));
            }
            for (Future<RecordMetadata> ack : acks) {
                assertThat(ack.get(60, TimeUnit.SECONDS).hasOffset()).isTrue();
            }
        }
    }

    @Test
    void theControllerListenerSpeaksTlsAndShowsTheNodesCertificate() throws Exception {
        Path dir = Path.of(cluster.node(1).setting("ssl.keystore.location").orElseThrow()).getParent();
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers(dir.resolve("node.p12")), trustManagers(dir.resolve("truststore.p12")), null);
        // Where an operator would point openssl s_client: the controller-only node's only port.
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1",
                cluster.node(1).port())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"}); // gRPC's
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            X509Certificate shown = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(shown.getSubjectX500Principal().getName()).isEqualTo("CN=node");
        }
    }

    private static KeyManager[] keyManagers(Path keyStore) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), TestCertificates.PASSWORD.toCharArray());
        return keys.getKeyManagers();
    }

    private static TrustManager[] trustManagers(Path trustStore) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore));
        return trust.getTrustManagers();
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        return store;
    }

    private static Map<String, String> tlsSettings(Path dir) {
        try {
            Path keyStore = TestCertificates.keyStore(dir, "node", "node");
            Path trustStore = TestCertificates.trustStore(dir, "truststore", keyStore, "node");
            return Map.of("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:SSL",
                    "broker.heartbeat.interval.ms", "500",
                    "ssl.keystore.location", keyStore.toString(),
                    "ssl.keystore.type", "PKCS12",
                    "ssl.keystore.password", TestCertificates.PASSWORD,
                    "ssl.truststore.location", trustStore.toString(),
                    "ssl.truststore.type", "PKCS12",
                    "ssl.truststore.password", TestCertificates.PASSWORD);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot make the nodes' key pair", e);
        }
    }
}
