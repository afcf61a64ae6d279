package io.gregor.storage.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The empty file {@code .gregor-clean-shutdown} in a log directory says every log in it was
 * flushed and closed with trimmed indexes. It is removed when the directory's logs are loaded,
 * so a crash afterwards leaves no marker and the next start recovers the logs' tails.
 */
public final class CleanShutdownMarker {
    public static final String FILE_NAME = ".gregor-clean-shutdown";

    private CleanShutdownMarker() {
    }

    /** Whether the directory was shut down cleanly; removes the marker either way. */
    public static boolean consume(Path logDir) throws IOException {
        return Files.deleteIfExists(logDir.resolve(FILE_NAME));
    }

    public static void write(Path logDir) throws IOException {
        CheckpointFile.write(logDir.resolve(FILE_NAME), "");
    }
}
