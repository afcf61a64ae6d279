package io.gregor.broker.network;

import io.gregor.broker.api.ConnectionThrottle;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The throttle of one connection (KIP-219): handlers ask for it from any thread; the dispatcher,
 * once it has written the responses it can, stops reading the connection until the throttle
 * ends, by a timer on the connection's event loop. No thread waits meanwhile, and other
 * connections are served as usual. A later, longer throttle extends the pause.
 */
final class ThrottledReads implements ConnectionThrottle {
    /** When the longest throttle asked for ends (System.nanoTime); 0 when none was ever asked. */
    private final AtomicLong requestedUntilNanos = new AtomicLong();
    private final EventLoop loop;
    private final ReadPauses pauses;
    /** When the pause in force ends; on the event loop only. */
    private long pausedUntilNanos;

    ThrottledReads(EventLoop loop, ReadPauses pauses) {
        this.loop = loop;
        this.pauses = pauses;
    }

    @Override
    public void throttle(long throttleTimeMs) {
        if (throttleTimeMs <= 0) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(throttleTimeMs);
        requestedUntilNanos.accumulateAndGet(until, Math::max);
    }

    /**
     * On the event loop, after responses were written: pauses reading while a throttle asked for
     * is not over. One volatile read when nothing was asked.
     */
    void pauseIfRequested() {
        long until = requestedUntilNanos.get();
        if (until == 0 || until <= pausedUntilNanos) {
            return;
        }
        long delay = until - System.nanoTime();
        if (delay <= 0) {
            return;
        }
        boolean alreadyPaused = pausedUntilNanos > System.nanoTime();
        pausedUntilNanos = until;
        pauses.throttled(true);
        if (!alreadyPaused) {
            loop.schedule(this::resumeWhenOver, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void resumeWhenOver() {
        long remaining = pausedUntilNanos - System.nanoTime();
        if (remaining > 0) {
            loop.schedule(this::resumeWhenOver, remaining, TimeUnit.NANOSECONDS);
        } else {
            pauses.throttled(false);
        }
    }
}
