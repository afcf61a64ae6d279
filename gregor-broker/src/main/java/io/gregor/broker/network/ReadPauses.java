package io.gregor.broker.network;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Why a connection is not being read. There are three independent reasons, each set and cleared
 * by the handler that knows it: too many of its requests await their responses
 * ({@link RequestDispatcher}), no request memory is left for its next request
 * ({@link FrameDecoder}), and its client is throttled for exceeding a quota
 * ({@link ThrottledReads}). The connection is read again only once none holds.
 *
 * <p>Kept as an attribute of the channel, so that both handlers find the same one; used on the
 * channel's event loop only.
 */
final class ReadPauses {
    private static final AttributeKey<ReadPauses> KEY = AttributeKey.valueOf(ReadPauses.class, "pauses");

    private final Channel channel;
    private boolean tooManyInFlight;
    private boolean awaitingMemory;
    private boolean throttled;

    private ReadPauses(Channel channel) {
        this.channel = channel;
    }

    static ReadPauses of(Channel channel) {
        ReadPauses pauses = channel.attr(KEY).get();
        if (pauses == null) {
            pauses = new ReadPauses(channel);
            channel.attr(KEY).set(pauses);
        }
        return pauses;
    }

    void tooManyInFlight(boolean paused) {
        tooManyInFlight = paused;
        apply();
    }

    boolean tooManyInFlight() {
        return tooManyInFlight;
    }

    void awaitingMemory(boolean paused) {
        awaitingMemory = paused;
        apply();
    }

    boolean awaitingMemory() {
        return awaitingMemory;
    }

    void throttled(boolean paused) {
        throttled = paused;
        apply();
    }

    private void apply() {
        boolean read = !tooManyInFlight && !awaitingMemory && !throttled;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
