package io.gregor.broker.network;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.metrics.ConnectionMeters;
import io.gregor.broker.metrics.IdleMeters;
import io.gregor.broker.metrics.NetworkMetrics;
import io.gregor.broker.security.Authorizer;
import io.gregor.broker.security.SaslConnection;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts Kafka protocol connections on the configured listeners and serves them with the
 * handlers of a {@link HandlerRegistry}. Per connection the pipeline is an idle check
 * ({@code connections.max.idle.ms}), flush consolidation, {@link FrameDecoder} (size prefix, size
 * limit, {@link RequestMemory}; with {@link FrameReadAllocator}, the reads of a partly received
 * request go straight into its buffer) then {@link RequestDispatcher} (decode, handle, respond in
 * order, close when idle). On an SSL or SASL_SSL listener it starts with the TLS handler and
 * {@link FileRegionsAsBuffers}, and frames are not read in place. On a SASL listener each
 * connection's dispatcher holds a {@link SaslConnection}, which answers the authentication.
 *
 * <p>One acceptor thread for all listeners, where {@link ConnectionsPerAddress} counts accepted
 * connections when {@code max.connections.per.ip} is set, and {@link ConnectionSlots} when
 * {@code max.connections} or a listener's is; {@code num.network.threads} event loop
 * threads shared by all connections; a connection stays on one thread for its life.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()}; both are called from the thread
 * that assembles the broker. {@link #boundPort} is safe from any thread after start.
 */
public final class SocketServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);
    private static final int ACCEPTOR_THREADS = 1;
    private static final long QUIET_PERIOD_MS = 0;
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;

    private final SocketServerConfig config;
    private final RequestDecoder decoder;
    private final NetworkMetrics metrics;
    private final IdleMeters idleMeters;
    private final Authorizer authorizer;
    private final NetworkTransport transport;
    /** Shared by all listeners' connections. */
    private final RequestMemory requestMemory;
    private final Map<String, Channel> serverChannels = new LinkedHashMap<>();
    /** Per listener, the meters of its connections on each network thread, by the thread's number. */
    private final Map<String, ConnectionMeters[]> connectionMeters = new ConcurrentHashMap<>();
    /**
     * The number of the network thread it is set on: the order the threads were made in, as
     * {@link IdleMeters} numbers them, so that {@code networkProcessor=N} is one thread in both.
     */
    private final ThreadLocal<Integer> networkProcessor = new ThreadLocal<>();
    private EventLoopGroup acceptorGroup;
    private EventLoopGroup workerGroup;
    /**
     * Counts connections per client address. Always there, even without a limit, since
     * max.connections.per.ip can be set while the server runs: a map update per accepted connection.
     */
    private ConnectionsPerAddress connectionsPerAddress;
    /**
     * Counts all connections against max.connections and the listeners' own limits. Always there,
     * as max.connections can be set while the server runs.
     */
    private ConnectionSlots connectionSlots;

    /** A server whose request meters no one reads and that authorizes nothing: tests and tools that serve a few APIs. */
    public SocketServer(SocketServerConfig config, HandlerRegistry registry) {
        this(config, registry, new NetworkMetrics(new MetricRegistry()), null, Authorizer.ALLOW_ALL,
                NetworkTransport.best());
    }

    /**
     * @param idleMeters the meters of how idle the network threads are, which this server samples
     * @param authorizer what handlers ask whether a request's principal may do what it asks
     */
    public SocketServer(SocketServerConfig config, HandlerRegistry registry, NetworkMetrics metrics,
                        IdleMeters idleMeters, Authorizer authorizer) {
        this(config, registry, metrics, idleMeters, authorizer, NetworkTransport.best());
    }

    /** With a chosen transport, so tests cover the NIO fallback on Linux too; {@code idleMeters} may be null. */
    SocketServer(SocketServerConfig config, HandlerRegistry registry, NetworkMetrics metrics,
                 IdleMeters idleMeters, Authorizer authorizer, NetworkTransport transport) {
        this.config = config;
        this.decoder = new RequestDecoder(registry);
        this.metrics = metrics;
        this.idleMeters = idleMeters;
        this.authorizer = authorizer;
        this.transport = transport;
        this.requestMemory = new RequestMemory(config.queuedMaxRequestBytes());
        metrics.sockets().requestMemory(requestMemory::poolAvailableBytes, requestMemory::poolUsedBytes);
    }

    /**
     * Binds every listener.
     *
     * @throws IllegalStateException if already started, if a host of
     *     {@code max.connections.per.ip.overrides} is unknown, or if a listener cannot be bound
     *     (port in use, unknown host); the message names the listener, and the server is closed again
     */
    public synchronized void start() {
        if (acceptorGroup != null) {
            throw new IllegalStateException("Socket server already started");
        }
        connectionsPerAddress = new ConnectionsPerAddress(config.maxConnectionsPerIp(),
                resolved(config.maxConnectionsPerIpOverrides()));
        connectionSlots = new ConnectionSlots(config.maxConnections());
        acceptorGroup = transport.newGroup(ACCEPTOR_THREADS, new DefaultThreadFactory("gregor-acceptor", true));
        ThreadFactory networkThreads = new DefaultThreadFactory("gregor-network", true);
        workerGroup = transport.newGroup(config.networkThreads(), numbered(
                idleMeters == null ? networkThreads : idleMeters.networkThreadFactory(networkThreads)));
        for (SocketServerConfig.Listener listener : config.listeners()) {
            ConnectionMeters[] perThread = new ConnectionMeters[config.networkThreads()];
            for (int processor = 0; processor < perThread.length; processor++) {
                perThread[processor] = metrics.sockets().connections(listener.name(), processor);
            }
            connectionMeters.put(listener.name(), perThread);
        }
        if (idleMeters != null) {
            // the acceptor thread has time to spare, and a network thread would be measuring itself
            acceptorGroup.scheduleAtFixedRate(idleMeters::sample, IdleMeters.SAMPLE_PERIOD_SECONDS,
                    IdleMeters.SAMPLE_PERIOD_SECONDS, TimeUnit.SECONDS);
        }
        for (SocketServerConfig.Listener listener : config.listeners()) {
            ChannelFuture bound = bootstrapFor(listener).bind(bindAddress(listener)).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                close();
                throw new IllegalStateException("Cannot listen for " + listener.name() + " on "
                        + listener.host() + ":" + listener.port() + ": " + bound.cause().getMessage(), bound.cause());
            }
            serverChannels.put(listener.name(), bound.channel());
            log.info("Listening for {} on {} ({})", listener.name(), bound.channel().localAddress(), transport);
        }
    }

    /** Makes threads through {@code factory}, each knowing its number in {@link #networkProcessor}. */
    private ThreadFactory numbered(ThreadFactory factory) {
        AtomicInteger made = new AtomicInteger();
        return runnable -> {
            int number = made.getAndIncrement();
            return factory.newThread(() -> {
                networkProcessor.set(number);
                runnable.run();
            });
        };
    }

    /**
     * Where a listener listens: an empty host means every interface, as in Kafka. (Resolving the
     * empty name instead would give the loopback address, and a broker no other machine reaches.)
     */
    static InetSocketAddress bindAddress(SocketServerConfig.Listener listener) {
        return listener.host().isEmpty() ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.host(), listener.port());
    }

    /** The bootstrap of one listener; package-private so that tests can read its socket options. */
    ServerBootstrap bootstrapFor(SocketServerConfig.Listener listener) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptorGroup, workerGroup)
                .channel(transport.serverChannelType())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // Responses to the requests of one read (a producer pipelines up to five)
                        // go out in one send at the end of that read, not one send each: each send
                        // on loopback also wakes the client. Flushes outside a read (a fetch or an
                        // acks=all produce answered later) go out at once.
                        FrameDecoder frames = new FrameDecoder(config.maxRequestBytes(), requestMemory);
                        if (listener.tls().isPresent()) {
                            // Socket reads are ciphertext, which the TLS handler decrypts into buffers of
                            // its own: no frame is read in place, and fetched records are read into
                            // buffers to be encrypted.
                            channel.pipeline().addLast(listener.tls().get().newHandler(channel.alloc()),
                                    new FileRegionsAsBuffers());
                        } else {
                            channel.config().setRecvByteBufAllocator(
                                    new FrameReadAllocator(frames, channel.config().getRecvByteBufAllocator()));
                        }
                        channel.pipeline().addLast(
                                // a response still being written (a slow consumer) is not idleness
                                new IdleStateHandler(true, 0, 0, config.connectionsMaxIdleMs(), TimeUnit.MILLISECONDS),
                                new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES,
                                        false),
                                frames,
                                new RequestDispatcher(decoder, listener.name(), config.maxInFlightRequestsPerConnection(),
                                        requestMemory, metrics, connectionMeters(listener.name()),
                                        listener.sasl().map(SaslConnection::new).orElse(null), authorizer));
                    }
                });
        boolean nodeListener = config.nodeListeners().contains(listener.name());
        bootstrap.handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel listening) {
                // an address over its own limit is turned away before it takes a slot
                listening.pipeline().addLast(connectionsPerAddress);
                listening.pipeline().addLast(connectionSlots.gate(listener.name(), listener.maxConnections(),
                        nodeListener));
            }
        });
        if (config.receiveBufferBytes() != SocketServerConfig.OS_DEFAULT) {
            // On the listening socket, so that accepted ones have it from the handshake on, where
            // the TCP window scale is agreed.
            bootstrap.option(ChannelOption.SO_RCVBUF, config.receiveBufferBytes());
        }
        if (config.sendBufferBytes() != SocketServerConfig.OS_DEFAULT) {
            // With Kafka's default of 100 KB, one sendfile call of a fetch response pushes at most
            // that much, and the network thread moves on to its other connections sooner.
            bootstrap.childOption(ChannelOption.SO_SNDBUF, config.sendBufferBytes());
        }
        return bootstrap;
    }

    /**
     * The meters of the listener's connections on the network thread this runs on: a channel is
     * initialized on the thread it stays on.
     */
    private ConnectionMeters connectionMeters(String listener) {
        Integer processor = networkProcessor.get();
        if (processor == null) {
            throw new IllegalStateException("A connection initialized off the network threads, on "
                    + Thread.currentThread().getName());
        }
        return connectionMeters.get(listener)[processor];
    }

    /**
     * Replaces max.connections.per.ip and its overrides (dynamic broker configs) for the
     * connections accepted from now on.
     *
     * @throws IllegalStateException if an override names an unknown host; the limits stay as they were
     */
    public synchronized void setConnectionsPerIp(int maxPerIp, Map<String, Integer> overrides) {
        if (connectionsPerAddress == null) {
            throw new IllegalStateException("Socket server not started");
        }
        connectionsPerAddress.setLimits(maxPerIp, resolved(overrides));
    }

    /**
     * Replaces max.connections (a dynamic broker config): a lower one closes no connection, the
     * listeners stop accepting until enough have closed.
     */
    public synchronized void setMaxConnections(int maxConnections) {
        if (connectionSlots == null) {
            throw new IllegalStateException("Socket server not started");
        }
        ConnectionSlots slots = connectionSlots;
        acceptorGroup.execute(() -> slots.setBrokerMax(maxConnections));
    }

    /** The per-address limits of max.connections.per.ip.overrides, their hosts resolved. */
    private static Map<InetAddress, Integer> resolved(Map<String, Integer> overrides) {
        Map<InetAddress, Integer> resolved = new HashMap<>();
        overrides.forEach((host, limit) -> {
            try {
                resolved.put(InetAddress.getByName(host), limit);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("max.connections.per.ip.overrides names an unknown host: " + host, e);
            }
        });
        return resolved;
    }

    /** The port a listener is bound to: its configured port, or the one chosen for port 0. */
    public synchronized int boundPort(String listenerName) {
        Channel channel = serverChannels.get(listenerName);
        if (channel == null) {
            throw new IllegalArgumentException("No bound listener named " + listenerName);
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops accepting, closes every connection and stops the network threads. Idempotent. */
    @Override
    public synchronized void close() {
        serverChannels.values().forEach(channel -> channel.close().syncUninterruptibly());
        serverChannels.clear();
        if (acceptorGroup != null) {
            acceptorGroup.shutdownGracefully(QUIET_PERIOD_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS).syncUninterruptibly();
            workerGroup.shutdownGracefully(QUIET_PERIOD_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS).syncUninterruptibly();
            acceptorGroup = null;
            workerGroup = null;
        }
    }
}
