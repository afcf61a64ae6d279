package io.gregor.broker.purgatory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Where requests wait for a condition without holding a thread: long-poll fetches waiting for
 * data, acks=all produces waiting for replicas. An operation watches one or more keys (for
 * example a partition); {@link #wake(Object)} re-checks the operations watching a key, and a
 * timer completes each operation at its deadline. Nothing here polls.
 *
 * <p>Thread-safety: all methods may be called from any thread. An operation completes once,
 * through {@link DelayedOperation}'s completion flag. A key's watcher queue, once created, is
 * never removed from the map: removing an empty queue could race with a new operation being
 * added to it and lose that operation's wake-ups. There is one key per partition, so this is
 * bounded.
 *
 * @param <K> what operations watch, e.g. a topic partition
 */
public final class Purgatory<K> implements AutoCloseable {
    private final Map<K, Collection<DelayedOperation>> watchers = new ConcurrentHashMap<>();
    private final DeadlineTimer timer;

    public Purgatory(String name) {
        this.timer = new DeadlineTimer("gregor-purgatory-" + name);
    }

    /**
     * Completes {@code operation} now if it can; otherwise parks it under {@code keys} until a
     * wake-up satisfies it or its deadline passes.
     */
    public void tryCompleteElseWatch(DelayedOperation operation, List<K> keys) {
        if (operation.tryComplete()) {
            return;
        }
        for (K key : keys) {
            watchers.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(operation);
        }
        // Re-check after registering: a wake-up between the first check and the registration
        // would otherwise be missed.
        if (operation.tryComplete()) {
            return;
        }
        operation.expireWith(timer.schedule(operation.deadlineNanos(), () -> expire(operation, keys)));
    }

    /** Re-checks the operations watching {@code key}, completing those now satisfied. */
    public void wake(K key) {
        Collection<DelayedOperation> waiting = watchers.get(key);
        if (waiting == null) {
            return;
        }
        waiting.removeIf(operation -> operation.isCompleted() || operation.tryComplete());
    }

    /** Number of operations still parked under {@code key}; for tests and metrics. */
    public int watching(K key) {
        Collection<DelayedOperation> waiting = watchers.get(key);
        return waiting == null ? 0 : (int) waiting.stream().filter(o -> !o.isCompleted()).count();
    }

    /** Parked operations counted once per key they wait on, Kafka's PurgatorySize; for metrics. */
    public int watched() {
        int watched = 0;
        for (Collection<DelayedOperation> waiting : watchers.values()) {
            for (DelayedOperation operation : waiting) {
                if (!operation.isCompleted()) {
                    watched++;
                }
            }
        }
        return watched;
    }

    /** Deadlines still to come of parked operations; for tests and metrics. */
    public int pendingDeadlines() {
        return timer.size();
    }

    private void expire(DelayedOperation operation, List<K> keys) {
        operation.forceComplete();
        for (K key : keys) {
            Collection<DelayedOperation> waiting = watchers.get(key);
            if (waiting != null) {
                waiting.remove(operation);
            }
        }
    }

    /**
     * Stops the timer and completes every operation still parked, as its deadline would have:
     * a request left parked would never be answered, and its buffers never released.
     */
    @Override
    public void close() {
        timer.close();
        watchers.values().forEach(waiting -> waiting.forEach(DelayedOperation::forceComplete));
        watchers.clear();
    }
}
