package io.gregor.storage.log;

import java.time.Clock;

/** What a partition log needs from its owner: time, deferred file deletion and failure reporting. */
public record LogEnvironment(Clock clock, SegmentDeleter segmentDeleter, LogDirFailureListener failureListener) {
    /** System time, immediate deletion, failures only thrown to the caller. */
    public static LogEnvironment standalone(Clock clock) {
        return new LogEnvironment(clock, SegmentDeleter.IMMEDIATE, LogDirFailureListener.IGNORE);
    }
}
