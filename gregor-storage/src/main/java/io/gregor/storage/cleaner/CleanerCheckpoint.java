package io.gregor.storage.cleaner;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.storage.recovery.CheckpointFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The file {@code cleaner-offset-checkpoint} in each log directory: for each compacted partition
 * there, the first dirty offset, below which its log was compacted. Text, as Kafka writes it:
 * a version line ({@code 0}), a count line, then one {@code <topic> <partition> <offset>} line per
 * partition. Written whole and atomically ({@link CheckpointFile}). Not thread-safe: the
 * {@link LogCleaner} serializes access.
 */
final class CleanerCheckpoint {
    static final String FILE_NAME = "cleaner-offset-checkpoint";
    private static final String VERSION = "0";

    private CleanerCheckpoint() {
    }

    static Map<TopicPartition, Long> read(Path logDir) throws IOException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Optional<String> text = CheckpointFile.read(logDir.resolve(FILE_NAME));
        if (text.isEmpty()) {
            return offsets;
        }
        String[] lines = text.get().split("\n");
        if (lines.length < 2 || !lines[0].trim().equals(VERSION)) {
            throw new IOException("Unreadable " + FILE_NAME + " in " + logDir);
        }
        for (int i = 2; i < lines.length; i++) {
            String[] fields = lines[i].trim().split(" ");
            if (fields.length == 3) {
                offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
            }
        }
        return offsets;
    }

    static void write(Path logDir, Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder(VERSION).append('\n').append(offsets.size()).append('\n');
        offsets.forEach((tp, offset) -> text.append(tp.topic()).append(' ').append(tp.partition()).append(' ')
                .append(offset).append('\n'));
        CheckpointFile.write(logDir.resolve(FILE_NAME), text.toString());
    }
}
