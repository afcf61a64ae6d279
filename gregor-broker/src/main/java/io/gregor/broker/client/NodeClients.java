package io.gregor.broker.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Owns the network threads of a node's outgoing connections and makes a {@link NodeClient} per
 * destination. One instance per node; {@link #close()} stops every client made by it.
 *
 * <p>Inter-node traffic is a handful of connections, so Java NIO is enough; the broker's own
 * listeners use epoll where available.
 */
public final class NodeClients implements AutoCloseable {
    private static final long QUIET_PERIOD_MS = 0;
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;

    private final EventLoopGroup group;
    private final NodeClientConfig config;

    public NodeClients(NodeClientConfig config, int threads) {
        this.config = config;
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("gregor-node-client", true));
    }

    /** A client to {@code host:port}; it connects on its first request. */
    public NodeClient connect(String host, int port) {
        return new NodeClient(group.next(), host, port, config);
    }

    @Override
    public void close() {
        group.shutdownGracefully(QUIET_PERIOD_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
