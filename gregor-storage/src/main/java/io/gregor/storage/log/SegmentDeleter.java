package io.gregor.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Removes the files of a segment that left the log (already renamed {@code *.deleted}). The log
 * manager delays this by {@code file.delete.delay.ms} on its scheduler so that fetches still
 * sending the segment's bytes finish; tests delete at once.
 */
@FunctionalInterface
public interface SegmentDeleter {
    void delete(LogSegment segment, long delayMs);

    SegmentDeleter IMMEDIATE = (segment, delayMs) -> {
        try {
            segment.deleteFiles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };
}
