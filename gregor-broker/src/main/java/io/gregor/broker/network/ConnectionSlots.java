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
 * {@code max.connections}: how many connections the broker holds on all its listeners together.
 * As in Kafka, reaching it does not refuse anyone: the listeners stop accepting, so new clients
 * wait in the listen backlog (their connect succeeds, their first request waits) until a
 * connection closes. The inter-broker and controller listeners keep accepting, so that
 * replication and the quorum never wait behind clients; their connections count all the same.
 *
 * <p>One {@link #gate gate} sits in each listening channel's pipeline. All listening channels
 * share the one acceptor thread, which alone touches the count and the channels' auto-read; a
 * connection's close is counted on that thread too.
 */
final class ConnectionSlots {
    private static final Logger log = LoggerFactory.getLogger(ConnectionSlots.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int max;
    /** The listening channels that stop accepting at the limit. */
    private final List<Channel> paused = new ArrayList<>();
    private int open;
    private boolean full;
    private boolean warned;
    private long warnedAt;
    private int fullAgain;

    ConnectionSlots(int max) {
        this.max = max;
    }

    /**
     * The handler for one listener's listening channel.
     *
     * @param exempt whether the listener keeps accepting at the limit (inter-broker, controller)
     */
    ChannelHandler gate(boolean exempt) {
        return new Gate(exempt);
    }

    private void accepted(Channel connection, ChannelHandlerContext acceptor) {
        open++;
        connection.closeFuture().addListener(closed -> {
            try {
                acceptor.executor().execute(this::released);
            } catch (RejectedExecutionException shuttingDown) {
                // the count goes with the acceptor
            }
        });
        if (open >= max && !full) {
            full = true;
            paused.forEach(listening -> listening.config().setAutoRead(false));
            warnFull(System.nanoTime());
        }
    }

    /** At the limit, each close lets one more in and fills it again: one warning per interval, with a count. */
    private void warnFull(long now) {
        if (warned && now - warnedAt < WARN_INTERVAL_NANOS) {
            fullAgain++;
            return;
        }
        log.warn("{} connections open, max.connections is {}: client listeners stop accepting until one closes{}",
                open, max, fullAgain == 0 ? "" : " (full " + fullAgain + " more times since the last warning)");
        warned = true;
        warnedAt = now;
        fullAgain = 0;
    }

    private void released() {
        open--;
        if (open < max && full) {
            full = false;
            paused.forEach(listening -> listening.config().setAutoRead(true));
            log.debug("{} connections open, below max.connections ({}): client listeners accept again", open, max);
        }
    }

    private final class Gate extends ChannelInboundHandlerAdapter {
        private final boolean exempt;

        Gate(boolean exempt) {
            this.exempt = exempt;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (!exempt) {
                paused.add(ctx.channel());
                ctx.channel().config().setAutoRead(!full);
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            paused.remove(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel connection = (Channel) msg;
            if (full && !exempt) {
                // The NIO transport accepts a few connections in one go before handing them over, so
                // some may come after the limit stopped the listener: such a one is closed, never
                // served, and its client connects again.
                connection.unsafe().closeForcibly();
                return;
            }
            accepted(connection, ctx);
            ctx.fireChannelRead(connection);
        }
    }
}
