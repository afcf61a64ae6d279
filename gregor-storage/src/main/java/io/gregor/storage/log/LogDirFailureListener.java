package io.gregor.storage.log;

import java.nio.file.Path;

/** Told when an I/O error takes a log offline, so the owner can take the whole log directory offline. */
@FunctionalInterface
public interface LogDirFailureListener {
    void onFailure(Path logDir, Exception cause);

    LogDirFailureListener IGNORE = (dir, cause) -> { };
}
