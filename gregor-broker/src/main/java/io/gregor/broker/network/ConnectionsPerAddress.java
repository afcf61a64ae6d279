package io.gregor.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code max.connections.per.ip}, with {@code max.connections.per.ip.overrides}: how many
 * connections one client address may have open to the broker's listeners together. A connection
 * beyond its address's limit is closed as soon as it is accepted, before it is served, as Kafka
 * drops it.
 *
 * <p>It sits in every listening channel's pipeline, where Netty hands over each accepted
 * connection. All listening channels share the one acceptor thread, which alone touches the
 * counts; a connection's close is counted on that thread too.
 */
@ChannelHandler.Sharable
final class ConnectionsPerAddress extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionsPerAddress.class);

    private final int maxPerAddress;
    private final Map<InetAddress, Integer> overrides;
    private final Map<InetAddress, Integer> open = new HashMap<>();

    /**
     * @param maxPerAddress the limit of an address without an override
     * @param overrides the limits of some addresses (resolved by the caller)
     */
    ConnectionsPerAddress(int maxPerAddress, Map<InetAddress, Integer> overrides) {
        this.maxPerAddress = maxPerAddress;
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
        InetAddress address = addressOf(connection.remoteAddress());
        if (address == null) {
            ctx.fireChannelRead(connection);
            return;
        }
        int limit = overrides.getOrDefault(address, maxPerAddress);
        int count = open.getOrDefault(address, 0);
        if (count >= limit) {
            log.warn("Closing connection from {}: it has {} open, the limit of its address "
                    + "(max.connections.per.ip or its override) is {}", address.getHostAddress(), count, limit);
            // not registered with an event loop yet, as Netty's own acceptor closes one it cannot register
            connection.unsafe().closeForcibly();
            return;
        }
        open.put(address, count + 1);
        connection.closeFuture().addListener(closed -> {
            try {
                ctx.executor().execute(() -> open.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1));
            } catch (RejectedExecutionException shuttingDown) {
                // the counts go with the acceptor
            }
        });
        ctx.fireChannelRead(connection);
    }

    private static InetAddress addressOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
