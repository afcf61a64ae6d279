package io.gregor.storage.cleaner;

/** The cleaner is stopping: a cleaning unwinds, discarding its unfinished segment. */
final class CleaningAbortedException extends RuntimeException {
    CleaningAbortedException() {
        super("The log cleaner is stopping", null, false, false);
    }
}
