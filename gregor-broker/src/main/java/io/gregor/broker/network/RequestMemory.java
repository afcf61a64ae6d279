package io.gregor.broker.network;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of requests the broker holds at once, across all its connections:
 * {@code queued.max.request.bytes}.
 *
 * <p>{@link FrameDecoder} reserves a request's size as soon as it has read the size, before it
 * reads (or allocates for) the request itself, and {@link RequestDispatcher} gives the bytes
 * back when it frees the request, once it is answered. When nothing is left, the connection that
 * needs memory for its next request stops being read until some is given back.
 *
 * <p>As with Kafka's pool, a reservation succeeds while anything at all is left, even if it is
 * more than what is left: a request larger than what is free, or than the bound itself, gets in
 * once the others are answered, instead of waiting for ever. The bound is therefore exceeded by
 * at most one request.
 *
 * <p>Thread-safe: connections on every network thread share one instance.
 */
final class RequestMemory {
    private final long maxBytes;
    private final AtomicLong available;
    /** What to run once bytes are given back: connections waiting to read their next request. */
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    /** @param maxBytes the bound, validated by {@link SocketServerConfig}, or its unbounded value */
    RequestMemory(long maxBytes) {
        this.maxBytes = maxBytes;
        this.available = new AtomicLong(maxBytes);
    }

    static RequestMemory unbounded() {
        return new RequestMemory(SocketServerConfig.UNBOUNDED_REQUEST_MEMORY);
    }

    /** Takes {@code bytes} if anything is left; false (and nothing taken) otherwise. */
    boolean tryReserve(int bytes) {
        if (maxBytes == SocketServerConfig.UNBOUNDED_REQUEST_MEMORY) {
            return true;
        }
        long left;
        do {
            left = available.get();
            if (left <= 0) {
                return false;
            }
        } while (!available.compareAndSet(left, left - bytes));
        return true;
    }

    /** Gives back what a request reserved, and wakes the connections waiting for memory. */
    void release(int bytes) {
        if (maxBytes == SocketServerConfig.UNBOUNDED_REQUEST_MEMORY) {
            return;
        }
        if (available.addAndGet(bytes) > 0) {
            wakeWaiting();
        }
    }

    /**
     * Runs {@code retry} (on the thread that gives bytes back, or on this one) once memory may be
     * left again; it must then try to reserve again, and wait again if another was faster.
     */
    void whenAvailable(Runnable retry) {
        waiting.add(retry);
        // Bytes given back between the failed reservation and the line above found no one to wake.
        if (available.get() > 0) {
            wakeWaiting();
        }
    }

    /** What is left; negative while a request larger than what was left is held. */
    long availableBytes() {
        return available.get();
    }

    /**
     * What is left, as Kafka's {@code MemoryPoolAvailable} shows it: {@link Long#MAX_VALUE} without
     * a bound, as Kafka's pool without one.
     */
    long poolAvailableBytes() {
        return maxBytes == SocketServerConfig.UNBOUNDED_REQUEST_MEMORY ? Long.MAX_VALUE : available.get();
    }

    /** What requests hold, as Kafka's {@code MemoryPoolUsed}: 0 without a bound, which counts nothing. */
    long poolUsedBytes() {
        return maxBytes == SocketServerConfig.UNBOUNDED_REQUEST_MEMORY ? 0 : maxBytes - available.get();
    }

    private void wakeWaiting() {
        Runnable retry;
        while ((retry = waiting.poll()) != null) {
            retry.run();
        }
    }
}
