package io.gregor.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.storage.cleaner.CleanerTestLog.Stored;
import io.gregor.storage.log.LogSegment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at each step of a swap: the log in {@code crashed} is left as the cleaner would leave it
 * at that step (its cleaned segment taken from a copy of the log that was cleaned to the end),
 * then opened as after a crash. Whatever the step, every key's latest value is still there.
 */
class SwapRecoveryTest {
    @TempDir
    Path root;

    Path crashed;
    Path cleanedCopy;
    Map<String, String> latestValues;
    long logEndOffset;

    @BeforeEach
    void writeAndCleanACopy() throws IOException {
        CleanerTestLog original = new CleanerTestLog(root.resolve("original"), Map.of());
        for (int round = 0; round < 30; round++) {
            for (int k = 0; k < 8; k++) {
                original.append("key-" + k, round + "-" + k);
            }
        }
        original.append("end", "x");
        latestValues = original.latestValues();
        logEndOffset = original.log.logEndOffset();
        original.close();
        crashed = root.resolve("crashed");
        cleanedCopy = root.resolve("copy");
        copyTree(original.dir, crashed.resolve("changelog-0"));
        copyTree(original.dir, cleanedCopy.resolve("changelog-0"));
        CleanerTestLog copy = new CleanerTestLog(cleanedCopy, Map.of());
        copy.clean().orElseThrow();
        copy.close();
    }

    Path crashedFile(String name) {
        return crashed.resolve("changelog-0").resolve(name);
    }

    /** The first cleaned segment's files put into the crashed log with a suffix. */
    void placeCleanedSegment(String logSuffix, String indexSuffix) throws IOException {
        Path from = cleanedCopy.resolve("changelog-0");
        String prefix = LogSegment.filenamePrefix(cleanedBases().get(0));
        Files.copy(from.resolve(prefix + ".log"), crashedFile(prefix + ".log" + logSuffix),
                StandardCopyOption.REPLACE_EXISTING);
        for (String index : List.of(".index", ".timeindex")) {
            if (Files.exists(from.resolve(prefix + index))) { // none for a segment without index entries
                Files.copy(from.resolve(prefix + index), crashedFile(prefix + index + indexSuffix),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Marks the crashed log's segments covered by the cleaned first segment deleted, as the swap does. */
    void markReplacedSegmentsDeleted() throws IOException {
        long cleanedStart = cleanedBases().get(0);
        long cleanedEnd = cleanedBases().get(1) - 1;
        try (Stream<Path> files = Files.list(crashed.resolve("changelog-0"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                long base = LogSegment.parseBaseOffset(file.getFileName().toString());
                if (base >= cleanedStart && base <= cleanedEnd) {
                    Files.move(file, file.resolveSibling(file.getFileName() + ".deleted"));
                    Files.deleteIfExists(crashedFile(LogSegment.filenamePrefix(base) + ".index"));
                    Files.deleteIfExists(crashedFile(LogSegment.filenamePrefix(base) + ".timeindex"));
                }
            }
        }
    }

    /** Base offsets of the cleaned copy's segments: the first one is the cleaned segment these tests swap in. */
    List<Long> cleanedBases() throws IOException {
        try (Stream<Path> files = Files.list(cleanedCopy.resolve("changelog-0"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".log"))
                    .map(LogSegment::parseBaseOffset).sorted().toList();
        }
    }

    void assertNothingLostAfterRestart() throws IOException {
        CleanerTestLog reopened = new CleanerTestLog(crashed, Map.of());
        reopened.close();
        reopened.open(false);
        try {
            assertThat(reopened.latestValues()).isEqualTo(latestValues);
            assertThat(reopened.log.logEndOffset()).isEqualTo(logEndOffset);
            List<Long> offsets = reopened.records().stream().map(Stored::offset).toList();
            assertThat(offsets).isSorted().doesNotHaveDuplicates();
            try (Stream<Path> files = Files.list(crashed.resolve("changelog-0"))) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .noneMatch(n -> n.endsWith(".swap") || n.endsWith(".cleaned"));
            }
        } finally {
            reopened.close();
        }
    }

    @Test
    void crashWhileWritingTheCleanedSegmentKeepsTheOriginal() throws IOException {
        placeCleanedSegment(".cleaned", ".cleaned");

        assertNothingLostAfterRestart();
    }

    @Test
    void crashWhileRenamingToSwapDropsTheHalfRenamedCleaning() throws IOException {
        placeCleanedSegment(".cleaned", ".swap"); // indexes renamed, log not yet

        assertNothingLostAfterRestart();
    }

    @Test
    void crashAfterTheSwapFileWasCompleteFinishesTheSwap() throws IOException {
        placeCleanedSegment(".swap", ".swap");

        assertNothingLostAfterRestart();
        String cleanedName = LogSegment.filenamePrefix(cleanedBases().get(0)) + ".log";
        assertThat(Files.size(crashedFile(cleanedName)))
                .isEqualTo(Files.size(cleanedCopy.resolve("changelog-0").resolve(cleanedName)));
    }

    @Test
    void crashAfterTheReplacedSegmentsWereMarkedDeletedFinishesTheSwap() throws IOException {
        markReplacedSegmentsDeleted();
        placeCleanedSegment(".swap", ".swap");

        assertNothingLostAfterRestart();
    }

    @Test
    void crashWhileRenamingTheSwapToItsFinalNameFinishesTheSwap() throws IOException {
        markReplacedSegmentsDeleted();
        placeCleanedSegment(".swap", ""); // indexes already renamed, log not yet

        assertNothingLostAfterRestart();
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
