package io.gregor.broker.purgatory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An operation that waits for a condition (enough data to fetch, enough replicas) or for its
 * deadline, whichever comes first. Subclasses say when they can complete and what completing
 * does; this class guarantees that {@link #onComplete()} runs exactly once, on whichever
 * thread won the race (an appending thread, or the purgatory's timer).
 */
public abstract class DelayedOperation {
    private final AtomicBoolean completed = new AtomicBoolean();
    private final long deadlineNanos;

    protected DelayedOperation(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    protected long deadlineNanos() {
        return deadlineNanos;
    }

    /** True when the operation's condition holds now; cheap, called on every wake-up. */
    protected abstract boolean isSatisfied();

    /** Builds and delivers the result; runs once. */
    protected abstract void onComplete();

    public boolean isCompleted() {
        return completed.get();
    }

    /** Completes the operation if it is still pending; returns whether this call did it. */
    final boolean forceComplete() {
        if (completed.compareAndSet(false, true)) {
            onComplete();
            return true;
        }
        return false;
    }

    /** Completes the operation if its condition holds. */
    final boolean tryComplete() {
        return !isCompleted() && isSatisfied() && forceComplete();
    }
}
