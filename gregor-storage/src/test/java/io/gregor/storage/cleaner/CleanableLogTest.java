package io.gregor.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.storage.log.LogConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a compacted log is due for cleaning, and how far: the dirty ratio and the compaction lags. */
class CleanableLogTest {
    @TempDir
    Path logDir;

    CleanerTestLog test;

    @AfterEach
    void close() throws IOException {
        test.close();
    }

    void writeRounds(int rounds, int keys) {
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                test.append("key-" + k, round + "-" + k);
            }
        }
    }

    CleanableLog evaluate() throws IOException {
        return CleanableLog.of(test.log, test.firstDirtyOffset, test.nextDeleteHorizonMs, test.clock.millis());
    }

    /** A log cleaned once, then given {@code dirtyRounds} more rounds of the same keys. */
    void cleanOnceThenDirty(int dirtyRounds) throws IOException {
        writeRounds(20, 10);
        assertThat(test.clean()).isPresent();
        writeRounds(dirtyRounds, 10);
        test.append("last", "pushes the dirty rounds out of the active segment");
        writeRounds(1, 1);
    }

    @Test
    void aLogIsDueOnceItsDirtyShareReachesMinCleanableDirtyRatio() throws IOException {
        test = new CleanerTestLog(logDir, Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, 0.9));
        cleanOnceThenDirty(2);

        CleanableLog state = evaluate();
        assertThat(state.dirtyBytes()).isPositive();
        assertThat(state.dirtyRatio()).isLessThan(0.9);
        assertThat(state.due()).isFalse();

        writeRounds(40, 10);
        test.append("last", "again");
        writeRounds(1, 1);
        assertThat(evaluate().dirtyRatio()).isGreaterThanOrEqualTo(0.9);
        assertThat(evaluate().due()).isTrue();
    }

    @Test
    void recordsYoungerThanMinCompactionLagAreNotCleanedUntilTheyAgeIntoIt() throws IOException {
        test = new CleanerTestLog(logDir, Map.of(LogConfig.MIN_COMPACTION_LAG_MS, 60_000L,
                LogConfig.MIN_CLEANABLE_DIRTY_RATIO, 0.01));
        writeRounds(20, 10);

        CleanableLog young = evaluate();
        assertThat(young.firstUncleanableOffset()).isEqualTo(test.log.logStartOffset());
        assertThat(young.due()).isFalse();
        assertThat(test.clean()).isEmpty();

        test.clock.advance(60_001);
        CleanableLog aged = evaluate();
        assertThat(aged.firstUncleanableOffset())
                .isEqualTo(test.log.segments().get(test.log.segmentCount() - 1).baseOffset());
        assertThat(aged.due()).isTrue();
        assertThat(test.clean()).isPresent();
    }

    @Test
    void aLogBelowTheDirtyRatioIsCleanedOnceItsOldestDirtyRecordPassesMaxCompactionLag() throws IOException {
        test = new CleanerTestLog(logDir, Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, 0.99,
                LogConfig.MAX_COMPACTION_LAG_MS, 5_000L));
        cleanOnceThenDirty(2);
        assertThat(evaluate().dirtyRatio()).isLessThan(0.99);
        assertThat(evaluate().due()).isFalse();

        test.clock.advance(5_001);

        CleanableLog overdue = evaluate();
        assertThat(overdue.lagExceeded()).isTrue();
        assertThat(overdue.due()).isTrue();
        assertThat(test.clean()).isPresent();
        assertThat(evaluate().dirtyBytes()).isZero();
    }
}
