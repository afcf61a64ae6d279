package io.gregor.broker.replication;

import java.util.function.LongSupplier;

/**
 * A replication throttle: the bytes per second a broker sends (as leader) or fetches (as
 * follower) for the replicas its topics list as throttled. A token bucket holding at most one
 * second of bytes: each transfer takes its size out, which may leave a debt, and while there is a
 * debt the quota is exceeded and throttled replicas get no data until time pays it back. Over
 * any period the throttled bytes stay within the rate times the period, plus one second's worth
 * and one transfer. The rate can change while replicas are throttled (a dynamic broker config):
 * the bucket keeps its debt and refills at the new rate from then on. Thread-safe.
 */
public final class ReplicationQuota {
    private volatile long bytesPerSecond;
    private final LongSupplier nanoTime;
    private double available;
    private long lastRefillNanos;

    public ReplicationQuota(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock; tests pass their own */
    public ReplicationQuota(long bytesPerSecond, LongSupplier nanoTime) {
        requireValid(bytesPerSecond);
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
        this.available = bytesPerSecond;
        this.lastRefillNanos = nanoTime.getAsLong();
    }

    /** The rate now in force, bytes per second. */
    public long rate() {
        return bytesPerSecond;
    }

    /**
     * Changes the rate. What was transferred before counts at the old rate; a bucket fuller than one
     * second of the new rate is cut down to it, so that a lower rate bites at once.
     */
    public synchronized void setRate(long newBytesPerSecond) {
        requireValid(newBytesPerSecond);
        if (newBytesPerSecond == bytesPerSecond) {
            return;
        }
        if (isLimited()) {
            refill();
        }
        bytesPerSecond = newBytesPerSecond;
        available = Math.min(available, newBytesPerSecond);
        lastRefillNanos = nanoTime.getAsLong();
    }

    /** Whether this quota limits anything (the default rate, Long.MAX_VALUE, does not). */
    public boolean isLimited() {
        return bytesPerSecond != Long.MAX_VALUE;
    }

    /** Whether throttled replicas must wait: more was transferred than the rate allows so far. */
    public synchronized boolean isExceeded() {
        if (!isLimited()) {
            return false;
        }
        refill();
        return available < 0;
    }

    /** Counts bytes transferred for throttled replicas. */
    public synchronized void record(long bytes) {
        if (!isLimited() || bytes <= 0) {
            return;
        }
        refill();
        available -= bytes;
    }

    private static void requireValid(long bytesPerSecond) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("A replication throttle of " + bytesPerSecond + " bytes/s");
        }
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        available = Math.min(bytesPerSecond, available + (now - lastRefillNanos) * (bytesPerSecond / 1e9));
        lastRefillNanos = now;
    }
}
