package io.gregor.storage.cleaner;

/**
 * Keeps the cleaner's disk traffic (bytes read plus bytes written) under
 * {@code log.cleaner.io.max.bytes.per.second}: after each chunk of work it waits as long as the
 * bytes done so far in the current one-second window are ahead of the allowed rate. Shared by
 * the cleaner threads, so the limit is for the whole broker as in Kafka. It is also where a
 * cleaning learns that the cleaner stops: cleaner threads are never interrupted (an interrupt
 * during file I/O would close the segment's channel under the readers), they are told through
 * {@link #stop()}. Thread-safe.
 */
final class Throttler {
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final double bytesPerSecond;
    private long windowStartNanos = System.nanoTime();
    private long bytesInWindow;
    private boolean stopped;

    Throttler(double bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /**
     * Counts {@code bytes} of I/O and waits if the rate is exceeded.
     *
     * @throws CleaningAbortedException when the cleaner is stopping
     */
    synchronized void acquire(long bytes) {
        ensureRunning();
        if (bytesPerSecond >= Double.MAX_VALUE) {
            return;
        }
        long now = System.nanoTime();
        if (now - windowStartNanos > WINDOW_NANOS) {
            windowStartNanos = now;
            bytesInWindow = 0;
        }
        bytesInWindow += bytes;
        long allowedAtNanos = windowStartNanos + (long) (bytesInWindow / bytesPerSecond * WINDOW_NANOS);
        try {
            for (long wait = allowedAtNanos - now; wait > 0 && !stopped; wait = allowedAtNanos - System.nanoTime()) {
                wait(Math.max(1, wait / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CleaningAbortedException();
        }
        ensureRunning();
    }

    private void ensureRunning() {
        if (stopped) {
            throw new CleaningAbortedException();
        }
    }

    /** Makes every current and later {@link #acquire} throw {@link CleaningAbortedException}. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }
}
