package io.gregor.broker.replication;

import java.util.function.LongSupplier;

/**
 * A replication throttle: the bytes per second a broker sends (as leader) or fetches (as
 * follower) for the replicas its topics list as throttled. A token bucket holding at most one
 * second of bytes: each transfer takes its size out, which may leave a debt, and while there is a
 * debt the quota is exceeded and throttled replicas get no data until time pays it back. Over
 * any period the throttled bytes stay within the rate times the period, plus one second's worth
 * and one transfer. Thread-safe.
 */
public final class ReplicationQuota {
    private final long bytesPerSecond;
    private final LongSupplier nanoTime;
    private double available;
    private long lastRefillNanos;

    public ReplicationQuota(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock; tests pass their own */
    public ReplicationQuota(long bytesPerSecond, LongSupplier nanoTime) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("A replication throttle of " + bytesPerSecond + " bytes/s");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
        this.available = bytesPerSecond;
        this.lastRefillNanos = nanoTime.getAsLong();
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

    private void refill() {
        long now = nanoTime.getAsLong();
        available = Math.min(bytesPerSecond, available + (now - lastRefillNanos) * (bytesPerSecond / 1e9));
        lastRefillNanos = now;
    }
}
