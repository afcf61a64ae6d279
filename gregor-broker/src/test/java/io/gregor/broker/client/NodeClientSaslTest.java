package io.gregor.broker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.meta.ApiVersionsHandler;
import io.gregor.broker.api.meta.FinalizedFeatures;
import io.gregor.broker.api.meta.SupportedFeature;
import io.gregor.broker.api.security.SaslAuthenticateHandler;
import io.gregor.broker.api.security.SaslHandshakeHandler;
import io.gregor.broker.config.SaslSettings;
import io.gregor.broker.network.SocketServer;
import io.gregor.broker.network.SocketServerConfig;
import io.gregor.broker.security.ListenerAuthentication;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeClusterRequest;
import io.gregor.protocol.message.DescribeClusterResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NodeClient against a real SocketServer whose listener is SASL_PLAINTEXT. */
class NodeClientSaslTest {
    private static final String LISTENER = "SASL_PLAINTEXT";
    private static final byte[] SALT = "node salt".getBytes(StandardCharsets.UTF_8);
    private static final NodeClientConfig PLAINTEXT = new NodeClientConfig("node-client-sasl-test", 2_000, 5_000,
            50, 1 << 20);

    private SocketServer server;
    private int port;
    private NodeClients clients;

    @BeforeEach
    void start() {
        ListenerAuthentication sasl = ListenerAuthentication.forListener(LISTENER,
                new SaslSettings(List.of("PLAIN", "SCRAM-SHA-512"), Map.of(LISTENER, Map.of("PLAIN",
                        "PlainLoginModule required user_broker=\"broker-secret\";")), 0, 0),
                (user, mechanism) -> user.equals("broker")
                        ? Optional.of(ScramCredential.fromSaltedPassword(mechanism, SALT,
                                mechanism.saltedPassword("broker-secret".toCharArray(), SALT, 4096), 4096))
                        : Optional.empty());
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new ApiVersionsHandler(registry, SupportedFeature.kraftBaseline(),
                () -> FinalizedFeatures.kraftBaseline(42, (short) 1, Map.of())));
        // the APIs a SASL listener serves, as the broker registers them
        registry.register(new SaslHandshakeHandler());
        registry.register(new SaslAuthenticateHandler());
        registry.register(new WhoAmI());
        server = new SocketServer(SocketServerConfig.withDefaults(List.of(new SocketServerConfig.Listener(
                LISTENER, "127.0.0.1", 0, Optional.empty(), Optional.of(sasl)))), registry);
        server.start();
        port = server.boundPort(LISTENER);
    }

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        server.close();
    }

    @Test
    void requestsSentBeforeAuthenticationArePipelinedOnceItSucceeds() throws Exception {
        for (String mechanism : List.of("PLAIN", "SCRAM-SHA-512")) {
            clients = new NodeClients(PLAINTEXT.withSasl(new SaslClientCredentials(mechanism, "broker",
                    "broker-secret")), 1);
            NodeClient client = clients.connect("127.0.0.1", port);
            // Sent at once, before the connection exists: they wait for the exchange, then go together.
            List<CompletableFuture<DescribeClusterResponse>> answers = List.of(
                    client.send(new DescribeClusterRequest(), (short) 1),
                    client.send(new DescribeClusterRequest(), (short) 1),
                    client.send(new DescribeClusterRequest(), (short) 1));
            for (CompletableFuture<DescribeClusterResponse> answer : answers) {
                assertThat(answer.get(5, TimeUnit.SECONDS).clusterId()).as(mechanism).isEqualTo("User:broker");
            }
            clients.close();
            clients = null;
        }
    }

    @Test
    void aRefusedPasswordFailsTheWaitingRequestsAndTheNextAttemptTriesAgain() throws Exception {
        clients = new NodeClients(PLAINTEXT.withSasl(new SaslClientCredentials("PLAIN", "broker", "wrong")), 1);
        NodeClient client = clients.connect("127.0.0.1", port);
        for (int attempt = 0; attempt < 2; attempt++) {
            CompletableFuture<DescribeClusterResponse> refused = client.send(new DescribeClusterRequest(), (short) 1);
            assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NodeAuthenticationException.class)
                    .hasMessageContaining("authentication as broker failed")
                    .hasMessageContaining("Invalid username or password");
        }
    }

    @Test
    void withoutCredentialsTheSaslListenerClosesTheConnection() {
        clients = new NodeClients(PLAINTEXT, 1);
        NodeClient client = clients.connect("127.0.0.1", port);
        CompletableFuture<DescribeClusterResponse> unauthenticated = client.send(new DescribeClusterRequest(), (short) 1);
        assertThatThrownBy(() -> unauthenticated.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(NodeDisconnectedException.class);
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
