package io.gregor.broker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.meta.ApiVersionsHandler;
import io.gregor.broker.api.meta.FinalizedFeatures;
import io.gregor.broker.api.meta.SupportedFeature;
import io.gregor.broker.network.SocketServer;
import io.gregor.broker.network.SocketServerConfig;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.ApiVersionsRequest;
import io.gregor.protocol.message.ApiVersionsResponse;
import io.gregor.protocol.message.DescribeClusterRequest;
import io.gregor.protocol.message.DescribeClusterResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NodeClient against a real Gregor SocketServer on loopback. */
class NodeClientTest {
    private static final String LISTENER = "PLAINTEXT";

    private final HeldDescribeCluster held = new HeldDescribeCluster();
    private SocketServer server;
    private int port;
    private NodeClients clients;

    @BeforeEach
    void start() {
        port = startServer(0);
        clients = new NodeClients(new NodeClientConfig("node-client-test", 2_000, 5_000, 50, 1 << 20), 1);
    }

    @AfterEach
    void stop() {
        // The server frees a request's frame when its handler answers: answer what the tests left held.
        held.pending.forEach(answer -> answer.complete(new DescribeClusterResponse()));
        clients.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sendsPipelinedRequestsAndMatchesEachResponse() throws Exception {
        NodeClient client = clients.connect("127.0.0.1", port);
        List<CompletableFuture<ApiVersionsResponse>> answers = List.of(
                client.send(new ApiVersionsRequest(), (short) 0),
                client.send(new ApiVersionsRequest().setClientSoftwareName("gregor").setClientSoftwareVersion("1"), (short) 3),
                client.send(new ApiVersionsRequest().setClientSoftwareName("gregor").setClientSoftwareVersion("1"), (short) 4));

        for (CompletableFuture<ApiVersionsResponse> answer : answers) {
            ApiVersionsResponse response = answer.get(5, TimeUnit.SECONDS);
            assertThat(response.errorCode()).isZero();
            assertThat(response.apiKeys()).anyMatch(k -> k.apiKey() == ApiKey.API_VERSIONS.id());
        }
        assertThat(answers.get(2).get().finalizedFeaturesEpoch()).isEqualTo(42);
    }

    @Test
    void answersOutOfHandlerOrderReachTheirOwnFutures() throws Exception {
        NodeClient client = clients.connect("127.0.0.1", port);
        CompletableFuture<DescribeClusterResponse> first = client.send(new DescribeClusterRequest(), (short) 1);
        CompletableFuture<DescribeClusterResponse> second = client.send(new DescribeClusterRequest(), (short) 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> held.pending.size() == 2);

        CompletableFuture<DescribeClusterResponse> heldFirst = held.pending.poll();
        CompletableFuture<DescribeClusterResponse> heldSecond = held.pending.poll();
        heldSecond.complete(new DescribeClusterResponse().setClusterId("second"));
        heldFirst.complete(new DescribeClusterResponse().setClusterId("first"));

        assertThat(first.get(5, TimeUnit.SECONDS).clusterId()).isEqualTo("first");
        assertThat(second.get(5, TimeUnit.SECONDS).clusterId()).isEqualTo("second");
    }

    @Test
    void aRequestWithoutAnswerTimesOutAndTheConnectionServesTheNext() throws Exception {
        NodeClient client = clients.connect("127.0.0.1", port);
        CompletableFuture<DescribeClusterResponse> unanswered = client.send(new DescribeClusterRequest(), (short) 1, 200);

        assertThatThrownBy(() -> unanswered.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("127.0.0.1:" + port);
        held.pending.poll().complete(new DescribeClusterResponse().setClusterId("late")); // dropped by the client
        ApiVersionsResponse next = client.<ApiVersionsResponse>send(new ApiVersionsRequest(), (short) 0)
                .get(5, TimeUnit.SECONDS);
        assertThat(next.errorCode()).isZero();
    }

    @Test
    void inFlightRequestsFailWhenTheNodeStopsAndTheClientReconnectsWhenItIsBack() throws Exception {
        NodeClient client = clients.connect("127.0.0.1", port);
        CompletableFuture<DescribeClusterResponse> inFlight = client.send(new DescribeClusterRequest(), (short) 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> held.pending.size() == 1);

        server.close();
        server = null;
        assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NodeDisconnectedException.class);
        assertThatThrownBy(() -> client.send(new ApiVersionsRequest(), (short) 0).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NodeDisconnectedException.class).hasMessageContaining("Cannot connect");

        startServer(port);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                client.<ApiVersionsResponse>send(new ApiVersionsRequest(), (short) 0).get(5, TimeUnit.SECONDS)
                        .errorCode() == 0);
    }

    @Test
    void aClosedClientFailsWaitingAndLaterRequests() throws Exception {
        NodeClient client = clients.connect("127.0.0.1", port);
        CompletableFuture<DescribeClusterResponse> waiting = client.send(new DescribeClusterRequest(), (short) 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> held.pending.size() == 1);

        client.close();

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(NodeDisconnectedException.class);
        assertThatThrownBy(() -> client.send(new ApiVersionsRequest(), (short) 0).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NodeDisconnectedException.class).hasMessageContaining("closed");
    }

    @Test
    void aVersionTheApiDoesNotHaveFailsWithoutSending() {
        NodeClient client = clients.connect("127.0.0.1", port);
        assertThatThrownBy(() -> client.send(new ApiVersionsRequest(), (short) 99).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    private int startServer(int wantedPort) {
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new ApiVersionsHandler(registry, SupportedFeature.kraftBaseline(),
                () -> FinalizedFeatures.kraftBaseline(42, (short) 1, Map.of())));
        registry.register(held);
        server = new SocketServer(new SocketServerConfig(
                List.of(new SocketServerConfig.Listener(LISTENER, "127.0.0.1", wantedPort)), 1, 1 << 20,
                SocketServerConfig.UNBOUNDED_REQUEST_MEMORY,
                SocketServerConfig.DEFAULT_CONNECTIONS_MAX_IDLE_MS, SocketServerConfig.UNLIMITED_CONNECTIONS, Map.of(),
                100, SocketServerConfig.OS_DEFAULT,
                SocketServerConfig.OS_DEFAULT, SocketServerConfig.UNLIMITED_CONNECTIONS, Set.of()), registry);
        server.start();
        return server.boundPort(LISTENER);
    }

    /** DescribeCluster answered only when the test says so: a stand-in for a long poll. */
    private static final class HeldDescribeCluster implements ApiHandler<DescribeClusterRequest, DescribeClusterResponse> {
        final ConcurrentLinkedQueue<CompletableFuture<DescribeClusterResponse>> pending = new ConcurrentLinkedQueue<>();

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
            CompletableFuture<DescribeClusterResponse> future = new CompletableFuture<>();
            pending.add(future);
            return future;
        }
    }
}
