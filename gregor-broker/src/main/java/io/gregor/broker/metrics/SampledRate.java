package io.gregor.broker.metrics;

import java.util.Arrays;

/**
 * A rate in bytes (or partition mutations, or connections) per second over the last {@code samples} windows of
 * {@code windowMs}, as Kafka's metrics library measures rates: quotas (quota.window.num,
 * quota.window.size.seconds), and the rates of its other meters (metrics.num.samples, 2, of
 * metrics.sample.window.ms, 30 s). Windows are aligned to multiples
 * of their size; a window older than the whole span no longer counts. The rate divides the bytes
 * of the counted windows by the time since the oldest of them began, but never by less than
 * {@code samples - 1} windows, so that a client's first bytes are not judged over a few
 * milliseconds. It also keeps the throttle times it gave over the same windows, whose average is
 * what Kafka shows as the client's throttle-time. Thread-safe.
 */
public final class SampledRate {
    private final int samples;
    private final long windowMs;
    /** Start of each window (ring), {@link Long#MIN_VALUE} while unused; {@link #current} is the newest. */
    private final long[] starts;
    private final long[] bytes;
    /** Per window, the throttle times given and the requests counted. */
    private final long[] throttleMs;
    private final long[] requests;
    private int current;

    public SampledRate(int samples, long windowMs) {
        if (samples < 2 || windowMs < 1) {
            throw new IllegalArgumentException("a sampled rate needs at least 2 windows of at least 1 ms");
        }
        this.samples = samples;
        this.windowMs = windowMs;
        this.starts = new long[samples];
        this.bytes = new long[samples];
        this.throttleMs = new long[samples];
        this.requests = new long[samples];
        Arrays.fill(starts, Long.MIN_VALUE);
    }

    /**
     * Counts {@code amount} bytes at {@code nowMs} and says how long the client must now wait: the
     * span measured, in proportion to the rate's excess over {@code bound} (at twice the bound, one
     * whole span). Once the span is past its minimum that wait, with no more bytes, brings the
     * rate back to the bound; before, the client may be throttled again on its next request. At
     * most the whole span of the windows, so that one large request does not silence a client for long.
     *
     * @return the throttle time in ms; 0 while the rate is within the bound
     */
    public synchronized long recordAndThrottleMs(long amount, long nowMs, double bound) {
        roll(nowMs);
        bytes[current] += amount;
        long throttle = throttleMs(nowMs, bound);
        throttleMs[current] += throttle;
        requests[current]++;
        return throttle;
    }

    /** Counts {@code amount} at {@code nowMs} for a request that a quota of another kind throttled for {@code throttle} ms. */
    public synchronized void record(long amount, long nowMs, long throttle) {
        roll(nowMs);
        bytes[current] += amount;
        throttleMs[current] += throttle;
        requests[current]++;
    }

    private void roll(long nowMs) {
        long start = nowMs - Math.floorMod(nowMs, windowMs);
        if (starts[current] != start) {
            current = (current + 1) % samples;
            starts[current] = start;
            bytes[current] = 0;
            throttleMs[current] = 0;
            requests[current] = 0;
        }
    }

    /** The average throttle time of the requests counted in the windows, in ms; 0 without any. */
    public synchronized double averageThrottleMs(long nowMs) {
        long throttled = 0;
        long counted = 0;
        for (int i = 0; i < samples; i++) {
            if (counts(starts[i], nowMs)) {
                throttled += throttleMs[i];
                counted += requests[i];
            }
        }
        return counted == 0 ? 0 : (double) throttled / counted;
    }

    /** Whether no window counts any more: the rate is 0, and forgetting it loses nothing. */
    public synchronized boolean isIdle(long nowMs) {
        return spanMs(nowMs) == 0;
    }

    /** The rate as of {@code nowMs}, in bytes per second. */
    public synchronized double rate(long nowMs) {
        long spanMs = spanMs(nowMs);
        return spanMs == 0 ? 0 : total(nowMs) * 1000.0 / spanMs;
    }

    private long throttleMs(long nowMs, double bound) {
        long spanMs = spanMs(nowMs);
        double rate = total(nowMs) * 1000.0 / spanMs;
        if (rate <= bound) {
            return 0;
        }
        // (rate - bound) / bound * span, written so that whole numbers stay exact
        double throttle = total(nowMs) * 1000.0 / bound - spanMs;
        return (long) Math.min(Math.ceil(throttle), samples * windowMs);
    }

    /** The time since the oldest counted window began, at least {@code samples - 1} windows; 0 when none counts. */
    private long spanMs(long nowMs) {
        long oldest = Long.MAX_VALUE;
        for (long start : starts) {
            if (counts(start, nowMs)) {
                oldest = Math.min(oldest, start);
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(nowMs - oldest, (samples - 1) * windowMs);
    }

    private long total(long nowMs) {
        long total = 0;
        for (int i = 0; i < samples; i++) {
            if (counts(starts[i], nowMs)) {
                total += bytes[i];
            }
        }
        return total;
    }

    private boolean counts(long start, long nowMs) {
        return start != Long.MIN_VALUE && start > nowMs - samples * windowMs;
    }
}
