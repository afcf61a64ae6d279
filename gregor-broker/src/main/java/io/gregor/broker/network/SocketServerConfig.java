package io.gregor.broker.network;

import io.gregor.broker.security.ListenerAuthentication;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the socket server needs to know, in Kafka's terms.
 *
 * @param listeners where to accept connections; at least one, names unique
 * @param networkThreads {@code num.network.threads}: event loop threads serving connections
 * @param maxRequestBytes {@code socket.request.max.bytes}: larger requests close the connection
 * @param queuedMaxRequestBytes {@code queued.max.request.bytes}: the bytes of requests held at
 *     once across all connections before no more are read, or {@link #UNBOUNDED_REQUEST_MEMORY}
 * @param connectionsMaxIdleMs {@code connections.max.idle.ms}: a connection with no request in
 *     progress and no byte read or written for this long is closed
 * @param maxConnectionsPerIp {@code max.connections.per.ip}: connections one client address may
 *     have open, beyond which new ones are closed at once; {@link #UNLIMITED_CONNECTIONS} for none
 * @param maxConnectionsPerIpOverrides {@code max.connections.per.ip.overrides}: the limits of some
 *     client addresses, by host name or IP address
 * @param maxInFlightRequestsPerConnection requests awaiting a response before a connection
 *     stops being read
 * @param sendBufferBytes {@code socket.send.buffer.bytes}: SO_SNDBUF of client connections, or
 *     {@link #OS_DEFAULT}
 * @param receiveBufferBytes {@code socket.receive.buffer.bytes}: SO_RCVBUF of client connections,
 *     or {@link #OS_DEFAULT}
 * @param maxConnections {@code max.connections}: connections open on all listeners together, at
 *     which the listeners stop accepting until one closes; {@link #UNLIMITED_CONNECTIONS} for none
 * @param nodeListeners the names of the listeners that keep accepting at {@code maxConnections}:
 *     the inter-broker and controller listeners
 */
public record SocketServerConfig(
        List<Listener> listeners,
        int networkThreads,
        int maxRequestBytes,
        long queuedMaxRequestBytes,
        long connectionsMaxIdleMs,
        int maxConnectionsPerIp,
        Map<String, Integer> maxConnectionsPerIpOverrides,
        int maxInFlightRequestsPerConnection,
        int sendBufferBytes,
        int receiveBufferBytes,
        int maxConnections,
        Set<String> nodeListeners) {

    public static final int DEFAULT_NETWORK_THREADS = 3;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 104_857_600;
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = 100;
    /** Kafka's default connections.max.idle.ms: ten minutes. */
    public static final long DEFAULT_CONNECTIONS_MAX_IDLE_MS = 600_000;
    /** Kafka's default for both socket buffer sizes. */
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 102_400;
    /** A socket buffer size that leaves the operating system's default (and its auto-tuning). */
    public static final int OS_DEFAULT = -1;
    /** {@code max.connections} and {@code max.connections.per.ip} of Kafka's default: no limit. */
    public static final int UNLIMITED_CONNECTIONS = Integer.MAX_VALUE;
    /** {@code queued.max.request.bytes} of -1, Kafka's default: no bound. */
    public static final long UNBOUNDED_REQUEST_MEMORY = -1;

    /**
     * One listener: {@code name://host:port}. Port 0 binds an ephemeral port, which
     * {@link SocketServer#boundPort(String)} reports. With {@code tls}, its connections speak TLS
     * with that context; with {@code sasl}, its clients authenticate before their other requests.
     * {@code maxConnections} is its {@code listener.name.LISTENER.max.connections}, at which it
     * stops accepting until one closes, or {@link #UNLIMITED_CONNECTIONS}.
     */
    public record Listener(String name, String host, int port, Optional<SslContext> tls,
                           Optional<ListenerAuthentication> sasl, int maxConnections) {
        /** A PLAINTEXT listener. */
        public Listener(String name, String host, int port) {
            this(name, host, port, Optional.empty(), Optional.empty());
        }

        /** A listener without a limit of its own. */
        public Listener(String name, String host, int port, Optional<SslContext> tls,
                        Optional<ListenerAuthentication> sasl) {
            this(name, host, port, tls, sasl, UNLIMITED_CONNECTIONS);
        }

        public Listener {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("Listener name must not be blank");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Listener " + name + ": port " + port + " is out of range");
            }
            if (maxConnections < 0) {
                throw new IllegalArgumentException("Listener " + name + ": max.connections must not be negative, got "
                        + maxConnections);
            }
        }
    }

    public SocketServerConfig {
        listeners = List.copyOf(listeners);
        maxConnectionsPerIpOverrides = Map.copyOf(maxConnectionsPerIpOverrides);
        nodeListeners = Set.copyOf(nodeListeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("At least one listener is required");
        }
        if (listeners.stream().map(Listener::name).distinct().count() != listeners.size()) {
            throw new IllegalArgumentException("Listener names must be unique: " + listeners);
        }
        requirePositive("num.network.threads", networkThreads);
        requirePositive("socket.request.max.bytes", maxRequestBytes);
        if (queuedMaxRequestBytes != UNBOUNDED_REQUEST_MEMORY && queuedMaxRequestBytes < maxRequestBytes) {
            throw new IllegalArgumentException("queued.max.request.bytes (" + queuedMaxRequestBytes
                    + ") must be -1 or at least socket.request.max.bytes (" + maxRequestBytes + ")");
        }
        requirePositive("max in-flight requests per connection", maxInFlightRequestsPerConnection);
        if (connectionsMaxIdleMs <= 0) {
            throw new IllegalArgumentException("connections.max.idle.ms must be positive, got " + connectionsMaxIdleMs);
        }
        if (maxConnectionsPerIp < 0 || maxConnectionsPerIpOverrides.values().stream().anyMatch(limit -> limit < 0)) {
            throw new IllegalArgumentException("Connection limits must not be negative: max.connections.per.ip "
                    + maxConnectionsPerIp + ", overrides " + maxConnectionsPerIpOverrides);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max.connections must not be negative, got " + maxConnections);
        }
        requireBufferSize("socket.send.buffer.bytes", sendBufferBytes);
        requireBufferSize("socket.receive.buffer.bytes", receiveBufferBytes);
    }

    /** The given listeners with every other setting at Kafka's default. */
    public static SocketServerConfig withDefaults(List<Listener> listeners) {
        return new SocketServerConfig(listeners, DEFAULT_NETWORK_THREADS, DEFAULT_MAX_REQUEST_BYTES,
                UNBOUNDED_REQUEST_MEMORY, DEFAULT_CONNECTIONS_MAX_IDLE_MS, UNLIMITED_CONNECTIONS, Map.of(),
                DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, DEFAULT_SOCKET_BUFFER_BYTES,
                DEFAULT_SOCKET_BUFFER_BYTES, UNLIMITED_CONNECTIONS, Set.of());
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    private static void requireBufferSize(String key, int value) {
        if (value <= 0 && value != OS_DEFAULT) {
            throw new IllegalArgumentException(key + " must be positive or " + OS_DEFAULT + ", got " + value);
        }
    }
}
