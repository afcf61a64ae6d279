package io.gregor.storage.log;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a partition log needs from its owner: time, deferred file deletion, failure reporting, and
 * a background executor for the fsync of segments that were just rolled (never the appender's
 * thread).
 */
public record LogEnvironment(Clock clock, SegmentDeleter segmentDeleter, LogDirFailureListener failureListener,
                             Executor backgroundFlusher) {
    private static final ExecutorService STANDALONE_FLUSHER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gregor-standalone-flusher");
        thread.setDaemon(true);
        return thread;
    });

    /** For a log used on its own (tools, tests): immediate deletion, failures only thrown, a shared flusher thread. */
    public static LogEnvironment standalone(Clock clock) {
        return new LogEnvironment(clock, SegmentDeleter.IMMEDIATE, LogDirFailureListener.IGNORE, STANDALONE_FLUSHER);
    }
}
