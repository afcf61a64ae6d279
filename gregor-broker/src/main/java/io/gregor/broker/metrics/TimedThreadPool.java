package io.gregor.broker.metrics;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pool of a set number of threads that adds up how long its tasks ran, for the idle meter of the pool
 * ({@link IdleMeters}). Wall time, not CPU time: a task waiting for the disk keeps its thread
 * from other work, so it counts as busy.
 */
public final class TimedThreadPool extends ThreadPoolExecutor {
    private final LongAdder busyNanos = new LongAdder();
    private final ThreadLocal<long[]> taskStart = ThreadLocal.withInitial(() -> new long[1]);

    public TimedThreadPool(int threads, ThreadFactory threadFactory) {
        super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threadFactory);
    }

    /**
     * Makes the pool this many threads (num.io.threads changed at run time). Threads beyond a
     * smaller size end once their task is done; queued tasks wait for the threads that remain.
     */
    public synchronized void resize(int threads) {
        if (threads > getMaximumPoolSize()) {
            setMaximumPoolSize(threads);
            setCorePoolSize(threads);
        } else {
            setCorePoolSize(threads);
            setMaximumPoolSize(threads);
        }
    }

    @Override
    protected void beforeExecute(Thread thread, Runnable task) {
        taskStart.get()[0] = System.nanoTime();
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        busyNanos.add(System.nanoTime() - taskStart.get()[0]);
    }

    /** Nanoseconds the pool's threads have spent running finished tasks, all threads together. */
    long busyNanos() {
        return busyNanos.sum();
    }
}
