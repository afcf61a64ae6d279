package io.gregor.broker.purgatory;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks at their deadlines on one thread that is woken only when a new deadline comes
 * before the one it sleeps until.
 *
 * <p>Why not a {@code ScheduledThreadPoolExecutor}: it signals its thread whenever a new task
 * becomes the head of its queue. A consumer's long poll is usually answered by the next record
 * within a millisecond and its deadline removed, so the queue is empty again when the next poll
 * parks, and every poll cost a futex wake-up and two context switches of the timer thread, a
 * thousand a second at a thousand records a second. Here a parked poll's deadline (its max wait
 * from now) is later than the one the thread sleeps until, so adding it wakes nobody, and
 * removing one never does: the thread wakes at the old deadline, finds nothing due, and sleeps
 * until the next.
 *
 * <p>Thread-safety: {@link #schedule} and {@link Deadline#cancel} may be called from any thread;
 * tasks run on the timer's thread, one at a time.
 */
final class DeadlineTimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeadlineTimer.class);
    /** How far ahead of now an idle timer says it sleeps until: far beyond any deadline. */
    private static final long IDLE_HORIZON_NANOS = 1L << 62;

    /** Every deadline still to run, earliest first, with its task. */
    private final ConcurrentSkipListMap<Deadline, Runnable> deadlines = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread thread;
    /** The System.nanoTime() the thread sleeps until; a schedule before it wakes the thread. */
    private volatile long sleepingUntil;
    private volatile boolean closed;

    DeadlineTimer(String threadName) {
        sleepingUntil = System.nanoTime() + IDLE_HORIZON_NANOS;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** When a task is due, as a System.nanoTime() instant; ties keep the order of scheduling. */
    final class Deadline implements Comparable<Deadline> {
        private final long nanos;
        private final long sequenceNumber;

        private Deadline(long nanos, long sequenceNumber) {
            this.nanos = nanos;
            this.sequenceNumber = sequenceNumber;
        }

        /** Takes the task off the timer if it has not run yet; never wakes the timer's thread. */
        void cancel() {
            deadlines.remove(this);
        }

        @Override
        public int compareTo(Deadline other) {
            // nanoTime instants compare by their difference: they may wrap around
            int byTime = Long.signum(nanos - other.nanos);
            return byTime != 0 ? byTime : Long.compare(sequenceNumber, other.sequenceNumber);
        }
    }

    /** Runs {@code task} on the timer's thread at {@code deadlineNanos} (a System.nanoTime() instant). */
    Deadline schedule(long deadlineNanos, Runnable task) {
        Deadline deadline = new Deadline(deadlineNanos, sequence.getAndIncrement());
        deadlines.put(deadline, task);
        // Read after the add; the thread publishes sleepingUntil before it looks at the set
        // again, so either it sees this deadline or this sees the instant it sleeps until.
        if (deadlineNanos - sleepingUntil < 0) {
            LockSupport.unpark(thread);
        }
        return deadline;
    }

    /** Deadlines not yet run or cancelled. */
    int size() {
        return deadlines.size();
    }

    private void run() {
        while (!closed) {
            long now = System.nanoTime();
            Deadline first = runDue(now);
            long until = first == null ? now + IDLE_HORIZON_NANOS : first.nanos;
            sleepingUntil = until;
            if (firstOrNull() != first) {
                continue; // scheduled meanwhile: its scheduler may have seen the old sleepingUntil
            }
            if (first == null) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, until - System.nanoTime());
            }
        }
    }

    /** Runs every deadline due by {@code now}; returns the first one still to come. */
    private Deadline runDue(long now) {
        Deadline first;
        while ((first = firstOrNull()) != null && first.nanos - now <= 0) {
            Runnable task = deadlines.remove(first);
            if (task != null) { // null when cancelled meanwhile
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.error("A timed task failed", e);
                }
            }
        }
        return first;
    }

    private Deadline firstOrNull() {
        Map.Entry<Deadline, Runnable> first = deadlines.firstEntry();
        return first == null ? null : first.getKey();
    }

    /** Stops the thread; deadlines still to come never run. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
