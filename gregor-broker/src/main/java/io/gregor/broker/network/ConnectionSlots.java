package io.gregor.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code max.connections} and {@code listener.name.LISTENER.max.connections}: how many
 * connections the broker holds on all its listeners together, and on each. As in Kafka, reaching
 * either does not refuse anyone: the listener stops accepting, so new clients wait in the listen
 * backlog (their connect succeeds, their first request waits) until a connection closes. The
 * inter-broker listener, when it is not the only one, is not held back by the broker's limit, so
 * that replication never waits behind clients; its connections count all the same.
 *
 * <p>One {@link #gate gate} sits in each listening channel's pipeline. All listening channels
 * share the one acceptor thread, which alone touches the counts, the broker's limit and the
 * channels' auto-read; a connection's close is counted on that thread too. The broker's limit is a
 * dynamic broker config, so the counting goes on without one: an increment per accepted connection.
 */
final class ConnectionSlots {
    private static final Logger log = LoggerFactory.getLogger(ConnectionSlots.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final List<Gate> gates = new ArrayList<>();
    private int brokerMax;
    private int open;

    /** @param brokerMax max.connections, or {@link SocketServerConfig#UNLIMITED_CONNECTIONS} */
    ConnectionSlots(int brokerMax) {
        this.brokerMax = brokerMax;
    }

    /**
     * A new max.connections; call on the acceptor thread. A lower one closes no connection: the
     * listeners stop accepting until enough have closed, as in Kafka.
     */
    void setBrokerMax(int brokerMax) {
        this.brokerMax = brokerMax;
        changed();
    }

    /**
     * The handler for one listener's listening channel.
     *
     * @param listenerMax the listener's own limit, or {@link SocketServerConfig#UNLIMITED_CONNECTIONS}
     * @param nodeListener whether the broker's limit leaves the listener accepting (inter-broker)
     */
    ChannelHandler gate(String listener, int listenerMax, boolean nodeListener) {
        return new Gate(listener, listenerMax, nodeListener);
    }

    private void changed() {
        gates.forEach(Gate::acceptIfRoom);
    }

    private final class Gate extends ChannelInboundHandlerAdapter {
        private final String listener;
        private final int listenerMax;
        private final boolean nodeListener;
        private Channel listening;
        private int listenerOpen;
        private boolean accepting = true;
        private long warnedAt;
        private boolean warned;
        private int heldSinceWarning;

        Gate(String listener, int listenerMax, boolean nodeListener) {
            this.listener = listener;
            this.listenerMax = listenerMax;
            this.nodeListener = nodeListener;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            listening = ctx.channel();
            gates.add(this);
            acceptIfRoom();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            gates.remove(this);
        }

        private boolean hasRoom() {
            return listenerOpen < listenerMax && (nodeListener || open < brokerMax);
        }

        /** Starts or stops accepting as the counts now allow. */
        void acceptIfRoom() {
            boolean room = hasRoom();
            if (room != accepting) {
                accepting = room;
                listening.config().setAutoRead(room);
                if (!room) {
                    warnHeld(System.nanoTime());
                }
            }
        }

        /** At a limit, each close lets one more in and fills it again: one warning per interval, with a count. */
        private void warnHeld(long now) {
            if (warned && now - warnedAt < WARN_INTERVAL_NANOS) {
                heldSinceWarning++;
                return;
            }
            String limit = listenerOpen >= listenerMax
                    ? "its max.connections is " + listenerMax + " and it has " + listenerOpen
                    : "the broker's max.connections is " + brokerMax + " and it has " + open;
            log.warn("Listener {} stops accepting until a connection closes: {} open{}", listener, limit,
                    heldSinceWarning == 0 ? "" : " (held back " + heldSinceWarning + " more times since the last warning)");
            warned = true;
            warnedAt = now;
            heldSinceWarning = 0;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel connection = (Channel) msg;
            if (!hasRoom()) {
                // The NIO transport accepts a few connections in one go before handing them over, so
                // some may come after a limit stopped the listener: such a one is closed, never
                // served, and its client connects again.
                connection.unsafe().closeForcibly();
                return;
            }
            open++;
            listenerOpen++;
            connection.closeFuture().addListener(closed -> {
                try {
                    ctx.executor().execute(this::released);
                } catch (RejectedExecutionException shuttingDown) {
                    // the counts go with the acceptor
                }
            });
            changed();
            ctx.fireChannelRead(connection);
        }

        private void released() {
            open--;
            listenerOpen--;
            changed();
        }
    }
}
