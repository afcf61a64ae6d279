package io.gregor.broker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.broker.TestKeyStores;
import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.config.TlsSettings;
import io.gregor.broker.network.SocketServer;
import io.gregor.broker.network.SocketServerConfig;
import io.gregor.broker.network.TlsContextFactory;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeClusterRequest;
import io.gregor.protocol.message.DescribeClusterResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NodeClient against a real SocketServer whose listener is SSL and requires client certificates,
 * with key pairs made by the JDK's keytool: the server's certificate names 127.0.0.1, the
 * stranger's only elsewhere.example.com, and the node's is the client's.
 */
class NodeClientTlsTest {
    private static final String LISTENER = "SSL";
    private static final String PASSWORD = "test-secret";
    private static final NodeClientConfig PLAINTEXT = new NodeClientConfig("node-client-tls-test", 2_000, 5_000,
            50, 1 << 20);

    @TempDir
    static Path dir;
    private SocketServer server;
    private NodeClients clients;

    @BeforeAll
    static void keys() throws Exception {
        keyStore("server", "ip:127.0.0.1");
        keyStore("stranger", "dns:elsewhere.example.com");
        keyStore("node", "dns:node.example.com");
        for (String name : List.of("server", "stranger", "node")) {
            keytool("-exportcert", "-rfc", "-alias", name, "-keystore", dir.resolve(name + ".p12").toString(),
                    "-storetype", "PKCS12", "-storepass", PASSWORD, "-file", dir.resolve(name + ".pem").toString());
            keytool("-importcert", "-noprompt", "-alias", name, "-file", dir.resolve(name + ".pem").toString(),
                    "-keystore", dir.resolve("trusted.p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        keytool("-importcert", "-noprompt", "-alias", "node", "-file", dir.resolve("node.pem").toString(),
                "-keystore", dir.resolve("node-only.p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    }

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aNodeWithATrustedCertificateIsServedAsItsSubject() throws Exception {
        int port = startServer("server");
        clients = new NodeClients(PLAINTEXT.withTls(clientTls("trusted", true)), 1);
        NodeClient client = clients.connect("127.0.0.1", port);
        // Sent before the connection exists: they wait for the handshake, then go together.
        List<CompletableFuture<DescribeClusterResponse>> answers = List.of(
                client.send(new DescribeClusterRequest(), (short) 1),
                client.send(new DescribeClusterRequest(), (short) 1));
        for (CompletableFuture<DescribeClusterResponse> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS).clusterId()).isEqualTo("User:CN=node");
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefusedUnlessTheHostNameCheckIsOff() throws Exception {
        int port = startServer("stranger");
        clients = new NodeClients(PLAINTEXT.withTls(clientTls("trusted", true)), 1);
        CompletableFuture<DescribeClusterResponse> refused = clients.connect("127.0.0.1", port)
                .send(new DescribeClusterRequest(), (short) 1);
        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(NodeDisconnectedException.class)
                .hasMessageContaining("TLS handshake with 127.0.0.1:" + port + " failed")
                .hasMessageContaining("127.0.0.1");
        clients.close();

        clients = new NodeClients(PLAINTEXT.withTls(clientTls("trusted", false)), 1);
        CompletableFuture<DescribeClusterResponse> served = clients.connect("127.0.0.1", port)
                .send(new DescribeClusterRequest(), (short) 1);
        assertThat(served.get(5, TimeUnit.SECONDS).clusterId()).isEqualTo("User:CN=node");
    }

    @Test
    void aServerOutsideTheTrustStoreFailsEachAttemptAndTheNextOneTriesAgain() throws Exception {
        int port = startServer("server");
        clients = new NodeClients(PLAINTEXT.withTls(clientTls("node-only", true)), 1);
        NodeClient client = clients.connect("127.0.0.1", port);
        for (int attempt = 0; attempt < 2; attempt++) {
            CompletableFuture<DescribeClusterResponse> refused = client.send(new DescribeClusterRequest(), (short) 1);
            assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NodeDisconnectedException.class)
                    .hasMessageContaining("TLS handshake with 127.0.0.1:" + port + " failed")
                    .hasMessageContaining("unable to find valid certification path");
        }
    }

    @Test
    void aNodeWithoutACertificateIsRefusedWhereOneIsRequired() throws Exception {
        int port = startServer("server");
        TlsSettings noKeyStore = new TlsSettings(Optional.empty(), Optional.empty(), "PKCS12", Optional.empty(),
                Optional.of(dir.resolve("trusted.p12")), Optional.of(PASSWORD), "PKCS12", "none",
                List.of("TLSv1.2", "TLSv1.3"), true, false, false);
        clients = new NodeClients(PLAINTEXT.withTls(new ClientTls(
                TlsContextFactory.forClient(noKeyStore, UnaryOperator.identity()), true)), 1);
        NodeClient client = clients.connect("127.0.0.1", port);
        for (int attempt = 0; attempt < 2; attempt++) {
            CompletableFuture<DescribeClusterResponse> refused = client.send(new DescribeClusterRequest(), (short) 1);
            assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NodeDisconnectedException.class);
        }
    }

    private int startServer(String keyStore) {
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new WhoAmI());
        TlsSettings settings = settings(keyStore, "trusted", "required");
        server = new SocketServer(SocketServerConfig.withDefaults(List.of(new SocketServerConfig.Listener(LISTENER,
                "127.0.0.1", 0, Optional.of(TlsContextFactory.forServer(settings, UnaryOperator.identity())),
                Optional.empty()))), registry);
        server.start();
        return server.boundPort(LISTENER);
    }

    private static ClientTls clientTls(String trustStore, boolean verifyHostname) {
        return new ClientTls(TlsContextFactory.forClient(settings("node", trustStore, "none"), UnaryOperator.identity()),
                verifyHostname);
    }

    private static TlsSettings settings(String keyStore, String trustStore, String clientAuth) {
        return new TlsSettings(Optional.of(dir.resolve(keyStore + ".p12")), Optional.of(PASSWORD), "PKCS12",
                Optional.empty(), Optional.of(dir.resolve(trustStore + ".p12")), Optional.of(PASSWORD), "PKCS12",
                clientAuth, List.of("TLSv1.2", "TLSv1.3"), true, false, false);
    }

    private static void keyStore(String name, String subjectAltNames) throws Exception {
        TestKeyStores.keyStore(dir.resolve(name + ".p12"), name, name, subjectAltNames, PASSWORD);
    }

    private static void keytool(String... args) throws Exception {
        TestKeyStores.keytool(args);
    }

    /** DescribeCluster answered with the caller's principal in place of the cluster id: who the server says we are. */
    private static final class WhoAmI implements ApiHandler<DescribeClusterRequest, DescribeClusterResponse> {
        @Override
        public short apiKey() {
            return ApiKey.DESCRIBE_CLUSTER.id();
        }

        @Override
        public short minVersion() {
            return 0;
        }

        @Override
        public short maxVersion() {
            return 1;
        }

        @Override
        public CompletableFuture<DescribeClusterResponse> handle(RequestContext context, DescribeClusterRequest request) {
            return CompletableFuture.completedFuture(new DescribeClusterResponse().setClusterId(context.principal()));
        }
    }
}
