package io.gregor.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.meta.ApiVersionsHandler;
import io.gregor.broker.api.meta.FinalizedFeatures;
import io.gregor.broker.api.meta.SupportedFeature;
import io.gregor.broker.metrics.NetworkMetrics;
import io.gregor.broker.security.Authorizer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SocketServerTest {
    private static final String LISTENER = "PLAINTEXT";
    private static final int READ_TIMEOUT_MS = 5_000;

    private SocketServer server;

    @BeforeEach
    void startServer() {
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new ApiVersionsHandler(registry, SupportedFeature.kraftBaseline(),
                () -> FinalizedFeatures.kraftBaseline(42, (short) 1, Map.of())));
        server = new SocketServer(new SocketServerConfig(
                List.of(new SocketServerConfig.Listener(LISTENER, "127.0.0.1", 0)), 2, 1 << 20,
                SocketServerConfig.UNBOUNDED_REQUEST_MEMORY,
                SocketServerConfig.DEFAULT_CONNECTIONS_MAX_IDLE_MS, SocketServerConfig.UNLIMITED_CONNECTIONS, Map.of(),
                100, SocketServerConfig.DEFAULT_SOCKET_BUFFER_BYTES,
                SocketServerConfig.DEFAULT_SOCKET_BUFFER_BYTES, SocketServerConfig.UNLIMITED_CONNECTIONS, Set.of()), registry);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void appliesTheConfiguredSocketBufferSizes() {
        ServerBootstrap bootstrap = server.bootstrapFor(new SocketServerConfig.Listener(LISTENER, "127.0.0.1", 0));

        assertThat(bootstrap.config().options().get(ChannelOption.SO_RCVBUF))
                .isEqualTo(SocketServerConfig.DEFAULT_SOCKET_BUFFER_BYTES);
        assertThat(bootstrap.config().childOptions().get(ChannelOption.SO_SNDBUF))
                .isEqualTo(SocketServerConfig.DEFAULT_SOCKET_BUFFER_BYTES);
    }

    @Test
    void leavesSocketBuffersToTheOperatingSystemWhenConfiguredSo() {
        try (SocketServer osDefaults = new SocketServer(new SocketServerConfig(
                List.of(new SocketServerConfig.Listener(LISTENER, "127.0.0.1", 0)), 1, 1 << 20,
                SocketServerConfig.UNBOUNDED_REQUEST_MEMORY,
                SocketServerConfig.DEFAULT_CONNECTIONS_MAX_IDLE_MS, SocketServerConfig.UNLIMITED_CONNECTIONS, Map.of(),
                100, SocketServerConfig.OS_DEFAULT,
                SocketServerConfig.OS_DEFAULT, SocketServerConfig.UNLIMITED_CONNECTIONS, Set.of()), new HandlerRegistry())) {
            osDefaults.start();
            ServerBootstrap bootstrap = osDefaults.bootstrapFor(new SocketServerConfig.Listener(LISTENER, "127.0.0.1", 0));

            assertThat(bootstrap.config().options()).doesNotContainKey(ChannelOption.SO_RCVBUF);
            assertThat(bootstrap.config().childOptions()).doesNotContainKey(ChannelOption.SO_SNDBUF);
        }
    }

    @Test
    void refusesASocketBufferSizeOfZero() {
        assertThatThrownBy(() -> new SocketServerConfig(List.of(new SocketServerConfig.Listener(LISTENER, "127.0.0.1", 0)),
                1, 1 << 20, SocketServerConfig.UNBOUNDED_REQUEST_MEMORY,
                SocketServerConfig.DEFAULT_CONNECTIONS_MAX_IDLE_MS, SocketServerConfig.UNLIMITED_CONNECTIONS, Map.of(),
                100, 0, SocketServerConfig.OS_DEFAULT, SocketServerConfig.UNLIMITED_CONNECTIONS, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("socket.send.buffer.bytes");
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2, 3, 4})
    void answersApiVersionsFromKafkaClientsAtEveryVersion(short version) throws IOException {
        try (Socket socket = connect()) {
            send(socket, KafkaWire.apiVersionsRequest(version, 17));

            KafkaWire.ResponseFrame frame = receive(socket);
            ApiVersionsResponse response = frame.apiVersions(version);

            assertThat(frame.correlationId()).isEqualTo(17);
            assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
            var apiVersions = response.data().apiKeys().find((short) 18);
            assertThat(apiVersions.minVersion()).isEqualTo((short) 0);
            assertThat(apiVersions.maxVersion()).isEqualTo((short) 4);
            if (version >= 3) {
                assertThat(response.data().finalizedFeaturesEpoch()).isEqualTo(42);
                assertThat(response.data().finalizedFeatures().find("metadata.version").maxVersionLevel())
                        .isEqualTo(SupportedFeature.METADATA_VERSION_4_1);
            }
        }
    }

    @Test
    void answersApiVersionsV99WithUnsupportedVersionAndTheSupportedRange() throws IOException {
        try (Socket socket = connect()) {
            send(socket, KafkaWire.rawRequest((short) 18, (short) 99, 3, true, new byte[] {1, 1, 0}));

            KafkaWire.ResponseFrame frame = receive(socket);
            ApiVersionsResponse response = frame.apiVersions((short) 0);

            assertThat(frame.correlationId()).isEqualTo(3);
            assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            var apiVersions = response.data().apiKeys().find((short) 18);
            assertThat(apiVersions.minVersion()).isEqualTo((short) 0);
            assertThat(apiVersions.maxVersion()).isEqualTo((short) 4);

            // The connection stays usable: the client retries at a version we speak.
            send(socket, KafkaWire.apiVersionsRequest((short) 3, 4));
            assertThat(receive(socket).apiVersions((short) 3).data().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void unknownApiKeyClosesOnlyThatConnection() throws IOException {
        try (Socket bad = connect(); Socket good = connect()) {
            send(bad, KafkaWire.rawRequest((short) 999, (short) 0, 1, false, new byte[0]));
            assertThat(isClosedByServer(bad)).isTrue();

            send(good, KafkaWire.apiVersionsRequest((short) 3, 2));
            assertThat(receive(good).correlationId()).isEqualTo(2);
        }
    }

    @Test
    void oversizedRequestClosesThatConnection() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(ByteBuffer.allocate(4).putInt(1 << 30).array());

            assertThat(isClosedByServer(socket)).isTrue();
        }
    }

    @Test
    void servesSeveralListenersEachOnItsOwnPort() throws IOException {
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new ApiVersionsHandler(registry, SupportedFeature.kraftBaseline(),
                () -> FinalizedFeatures.kraftBaseline(0, (short) 1, Map.of())));
        try (SocketServer twoListeners = new SocketServer(SocketServerConfig.withDefaults(List.of(
                new SocketServerConfig.Listener("CLIENTS", "127.0.0.1", 0),
                new SocketServerConfig.Listener("REPLICATION", "127.0.0.1", 0))), registry)) {
            twoListeners.start();
            int clientsPort = twoListeners.boundPort("CLIENTS");
            int replicationPort = twoListeners.boundPort("REPLICATION");
            assertThat(clientsPort).isPositive().isNotEqualTo(replicationPort);

            for (int port : new int[] {clientsPort, replicationPort}) {
                try (Socket socket = connect(port)) {
                    send(socket, KafkaWire.apiVersionsRequest((short) 4, port));
                    assertThat(receive(socket).correlationId()).isEqualTo(port);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(NetworkTransport.class)
    void atMaxConnectionsClientListenersWaitForASlotWhileTheInterBrokerListenerAccepts(NetworkTransport transport)
            throws IOException {
        assumeTrue(transport == NetworkTransport.NIO || NetworkTransport.best() == transport, "epoll on Linux only");
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new ApiVersionsHandler(registry, SupportedFeature.kraftBaseline(),
                () -> FinalizedFeatures.kraftBaseline(0, (short) 1, Map.of())));
        SocketServerConfig defaults = SocketServerConfig.withDefaults(List.of(
                new SocketServerConfig.Listener("CLIENTS", "127.0.0.1", 0),
                new SocketServerConfig.Listener("REPLICATION", "127.0.0.1", 0)));
        SocketServerConfig twoSlots = new SocketServerConfig(defaults.listeners(), 1, 1 << 20,
                SocketServerConfig.UNBOUNDED_REQUEST_MEMORY, SocketServerConfig.DEFAULT_CONNECTIONS_MAX_IDLE_MS,
                SocketServerConfig.UNLIMITED_CONNECTIONS, Map.of(), 100, SocketServerConfig.OS_DEFAULT,
                SocketServerConfig.OS_DEFAULT, 2, Set.of("REPLICATION"));
        try (SocketServer server = new SocketServer(twoSlots, registry, new NetworkMetrics(new MetricRegistry()), null,
                Authorizer.ALLOW_ALL, transport)) {
            server.start();
            int clients = server.boundPort("CLIENTS");
            try (Socket first = connect(clients); Socket second = connect(clients)) {
                for (Socket served : List.of(first, second)) {
                    send(served, KafkaWire.apiVersionsRequest((short) 3, 1));
                    assertThat(receive(served).correlationId()).isEqualTo(1);
                }
                try (Socket waiting = connect(clients); Socket replication = connect(server.boundPort("REPLICATION"))) {
                    send(replication, KafkaWire.apiVersionsRequest((short) 3, 2));
                    assertThat(receive(replication).correlationId()).as("the inter-broker listener accepts").isEqualTo(2);

                    // The TCP handshake completes in the listen backlog; the request waits for a slot.
                    send(waiting, KafkaWire.apiVersionsRequest((short) 3, 3));
                    waiting.setSoTimeout(500);
                    assertThatThrownBy(() -> receive(waiting)).isInstanceOf(SocketTimeoutException.class);

                    first.close();
                    replication.close();
                    waiting.setSoTimeout(READ_TIMEOUT_MS);
                    assertThat(receive(waiting).correlationId()).as("served once slots are free").isEqualTo(3);
                }
            }
        }
    }

    @Test
    void aListenerAtItsOwnLimitWaitsWhileAnotherAccepts() throws IOException {
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new ApiVersionsHandler(registry, SupportedFeature.kraftBaseline(),
                () -> FinalizedFeatures.kraftBaseline(0, (short) 1, Map.of())));
        try (SocketServer server = new SocketServer(SocketServerConfig.withDefaults(List.of(
                new SocketServerConfig.Listener("EXTERNAL", "127.0.0.1", 0, Optional.empty(), Optional.empty(), 1),
                new SocketServerConfig.Listener("INTERNAL", "127.0.0.1", 0))), registry)) {
            server.start();
            int external = server.boundPort("EXTERNAL");
            try (Socket first = connect(external); Socket waiting = connect(external);
                 Socket internal = connect(server.boundPort("INTERNAL"))) {
                send(first, KafkaWire.apiVersionsRequest((short) 3, 1));
                assertThat(receive(first).correlationId()).isEqualTo(1);
                send(internal, KafkaWire.apiVersionsRequest((short) 3, 2));
                assertThat(receive(internal).correlationId()).as("the other listener accepts").isEqualTo(2);

                send(waiting, KafkaWire.apiVersionsRequest((short) 3, 3));
                waiting.setSoTimeout(500);
                assertThatThrownBy(() -> receive(waiting)).isInstanceOf(SocketTimeoutException.class);

                first.close();
                waiting.setSoTimeout(READ_TIMEOUT_MS);
                assertThat(receive(waiting).correlationId()).as("served once its listener has room").isEqualTo(3);
            }
        }
    }

    @Test
    void aListenerWithoutHostListensOnEveryInterfaceAsKafkasDoes() {
        assertThat(SocketServer.bindAddress(new SocketServerConfig.Listener(LISTENER, "", 9092)).getAddress()
                .isAnyLocalAddress()).isTrue();
        assertThat(SocketServer.bindAddress(new SocketServerConfig.Listener(LISTENER, "127.0.0.1", 9092)).getAddress()
                .isLoopbackAddress()).isTrue();
    }

    @Test
    void servesTheSameOverTheNioFallbackTransport() throws IOException {
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(new ApiVersionsHandler(registry, SupportedFeature.kraftBaseline(),
                () -> FinalizedFeatures.kraftBaseline(0, (short) 1, Map.of())));
        try (SocketServer nio = new SocketServer(SocketServerConfig.withDefaults(List.of(
                new SocketServerConfig.Listener(LISTENER, "127.0.0.1", 0))), registry,
                new NetworkMetrics(new MetricRegistry()), null, Authorizer.ALLOW_ALL, NetworkTransport.NIO)) {
            nio.start();
            try (Socket socket = connect(nio.boundPort(LISTENER))) {
                send(socket, KafkaWire.apiVersionsRequest((short) 4, 9));
                send(socket, KafkaWire.apiVersionsRequest((short) 0, 10));

                assertThat(receive(socket).correlationId()).isEqualTo(9);
                assertThat(receive(socket).correlationId()).isEqualTo(10);
            }
        }
    }

    @Test
    void failsToStartWhenAPortIsTakenAndReleasesWhatItOpened() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SocketServer clashing = new SocketServer(SocketServerConfig.withDefaults(List.of(
                    new SocketServerConfig.Listener("FREE", "127.0.0.1", 0),
                    new SocketServerConfig.Listener("TAKEN", "127.0.0.1", taken.getLocalPort()))), new HandlerRegistry());

            assertThatThrownBy(clashing::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TAKEN").hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThatThrownBy(() -> clashing.boundPort("FREE")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private Socket connect() throws IOException {
        return connect(server.boundPort(LISTENER));
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    private static void send(Socket socket, ByteBuffer frame) throws IOException {
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    private static KafkaWire.ResponseFrame receive(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        ByteBuffer sized = ByteBuffer.allocate(4 + size).putInt(size).put(frame).flip();
        return KafkaWire.frames(sized).get(0);
    }

    /** True when the server closed the socket (end of stream or reset), false on timeout. */
    private static boolean isClosedByServer(Socket socket) throws IOException {
        try {
            return new DataInputStream(socket.getInputStream()).read() == -1;
        } catch (SocketException reset) {
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }
}
