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
    /** The purgatory's timer task for the deadline; cancelled once the operation completes. */
    private volatile DeadlineTimer.Deadline expiry;

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

    /**
     * Hands over the timer task that would complete this operation at its deadline, so that an
     * operation completed earlier cancels it: a parked fetch that data completes at once would
     * otherwise keep a task, and wake the timer thread, until its max wait had passed.
     */
    final void expireWith(DeadlineTimer.Deadline deadline) {
        expiry = deadline;
        if (isCompleted()) {
            deadline.cancel();
        }
    }

    /** Completes the operation if it is still pending; returns whether this call did it. */
    final boolean forceComplete() {
        if (completed.compareAndSet(false, true)) {
            DeadlineTimer.Deadline deadline = expiry;
            if (deadline != null) {
                deadline.cancel();
            }
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
