package io.gregor.broker.quota;

/**
 * KIP-599's token bucket, which holds partition mutations to a rate while allowing a burst: it
 * fills at {@code rate} tokens per second up to {@code burst}, and each mutation takes a token.
 * A request is admitted while the bucket is not in debt, and takes all the tokens it needs even
 * when that puts the bucket in debt: a topic of many partitions is created whole, and the next
 * requests wait until the debt is paid back. Thread-safe.
 */
final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long lastMs;

    /** Starts full. */
    TokenBucket(double rate, double burst, long nowMs) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.lastMs = nowMs;
    }

    /** Takes {@code count} tokens unless the bucket is in debt now. */
    synchronized boolean tryTake(int count, long nowMs) {
        refill(nowMs);
        if (tokens < 0) {
            return false;
        }
        tokens -= count;
        return true;
    }

    /** Takes {@code count} tokens, in debt or not. */
    synchronized void take(int count, long nowMs) {
        refill(nowMs);
        tokens -= count;
    }

    /** Gives back tokens taken for mutations that did not happen. */
    synchronized void giveBack(int count, long nowMs) {
        refill(nowMs);
        tokens = Math.min(burst, tokens + count);
    }

    /** How long until the bucket is out of debt, in ms; 0 when it is not in debt. */
    synchronized long throttleMs(long nowMs) {
        refill(nowMs);
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / rate * 1000);
    }

    synchronized double tokens(long nowMs) {
        refill(nowMs);
        return tokens;
    }

    /** Whether the bucket is full again: forgetting it loses nothing. */
    synchronized boolean isFull(long nowMs) {
        refill(nowMs);
        return tokens >= burst;
    }

    private void refill(long nowMs) {
        if (nowMs > lastMs) {
            tokens = Math.min(burst, tokens + (nowMs - lastMs) * rate / 1000);
            lastMs = nowMs;
        }
    }
}
