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
import java.util.concurrent.TimeUnit;
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
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The limits in force; replaced as a whole when the dynamic broker configs change them. */
    private volatile Limits limits;
    private final Map<InetAddress, Integer> open = new HashMap<>();
    /** The refusals of addresses at their limit, which have connections open; gone with the last one. */
    private final Map<InetAddress, Refusals> refusals = new HashMap<>();
    private final Refusals refusedWithNothingOpen = new Refusals();

    /**
     * @param maxPerAddress the limit of an address without an override
     * @param overrides the limits of some addresses (resolved by the caller)
     */
    ConnectionsPerAddress(int maxPerAddress, Map<InetAddress, Integer> overrides) {
        setLimits(maxPerAddress, overrides);
    }

    /**
     * New limits, for the connections accepted from now on: connections already open stay, as in
     * Kafka, even where they are over the new limit.
     */
    void setLimits(int maxPerAddress, Map<InetAddress, Integer> overrides) {
        limits = new Limits(maxPerAddress, Map.copyOf(overrides));
    }

    private record Limits(int maxPerAddress, Map<InetAddress, Integer> overrides) {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
        InetAddress address = addressOf(connection.remoteAddress());
        if (address == null) {
            ctx.fireChannelRead(connection);
            return;
        }
        Limits current = limits;
        int limit = current.overrides().getOrDefault(address, current.maxPerAddress());
        int count = open.getOrDefault(address, 0);
        if (count >= limit) {
            // An address with nothing open (a limit of 0) has no close to drop its entry with: such
            // refusals share one.
            Refusals refused = count == 0 ? refusedWithNothingOpen
                    : refusals.computeIfAbsent(address, a -> new Refusals());
            refused.refused(address, count, limit, System.nanoTime());
            // not registered with an event loop yet, as Netty's own acceptor closes one it cannot register
            connection.unsafe().closeForcibly();
            return;
        }
        open.put(address, count + 1);
        connection.closeFuture().addListener(closed -> {
            try {
                ctx.executor().execute(() -> closed(address));
            } catch (RejectedExecutionException shuttingDown) {
                // the counts go with the acceptor
            }
        });
        ctx.fireChannelRead(connection);
    }

    private void closed(InetAddress address) {
        Integer left = open.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        if (left == null) {
            Refusals refused = refusals.remove(address);
            if (refused != null) {
                refused.logSuppressed(address);
            }
        }
    }

    private static InetAddress addressOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /**
     * A client reconnecting in a loop against its limit would write a warning per attempt: the
     * first refusal is logged, the ones after it at most once per {@link #LOG_INTERVAL_NANOS},
     * with how many there were.
     */
    private static final class Refusals {
        private long loggedAt;
        private int suppressed;
        private boolean logged;

        void refused(InetAddress address, int open, int limit, long now) {
            if (logged && now - loggedAt < LOG_INTERVAL_NANOS) {
                suppressed++;
                return;
            }
            log.warn("Closing connection from {}: it has {} open, the limit of its address "
                    + "(max.connections.per.ip or its override) is {}{}", address.getHostAddress(), open, limit,
                    suppressed == 0 ? "" : "; " + suppressed + " more refused since the last warning");
            logged = true;
            loggedAt = now;
            suppressed = 0;
        }

        void logSuppressed(InetAddress address) {
            if (suppressed > 0) {
                log.warn("Closed {} more connections from {} over its limit before its last connection closed",
                        suppressed, address.getHostAddress());
            }
        }
    }
}
