package io.gregor.storage.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochCacheTest {
    @TempDir
    Path dir;

    @Test
    void answersEndOffsetsForEpochs() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(1, 0);
        cache.assign(3, 40);
        cache.assign(5, 90);

        assertThat(cache.endOffsetFor(1, 120)).isEqualTo(new EpochEndOffset(1, 40));
        assertThat(cache.endOffsetFor(2, 120)).isEqualTo(new EpochEndOffset(1, 40));
        assertThat(cache.endOffsetFor(3, 120)).isEqualTo(new EpochEndOffset(3, 90));
        assertThat(cache.endOffsetFor(5, 120)).isEqualTo(new EpochEndOffset(5, 120));
        assertThat(cache.endOffsetFor(9, 120)).isEqualTo(new EpochEndOffset(5, 120));
        assertThat(cache.endOffsetFor(0, 120)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void aNewLogsFirstEpochIsKeptInMemoryUntilWrittenAndLaterOnesAreWrittenAtOnce() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.empty(dir);

        cache.assignFirstDeferred(2, 0);
        cache.assignFirstDeferred(2, 10); // not newer
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 0));
        assertThat(dir.resolve(LeaderEpochCache.FILE_NAME)).doesNotExist();

        cache.writePending();
        assertThat(LeaderEpochCache.load(dir).entries()).containsExactly(new EpochEntry(2, 0));
        cache.assignFirstDeferred(4, 30); // not the first: written at once
        assertThat(LeaderEpochCache.load(dir).entries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(4, 30));
    }

    @Test
    void aClosedCacheWritesItsPendingEntryAndADiscardedOneNothing() throws Exception {
        LeaderEpochCache closing = LeaderEpochCache.empty(dir.resolve("a"));
        java.nio.file.Files.createDirectories(dir.resolve("a"));
        closing.assignFirstDeferred(1, 0);
        closing.close();
        closing.writePending();
        assertThat(LeaderEpochCache.load(dir.resolve("a")).entries()).containsExactly(new EpochEntry(1, 0));

        LeaderEpochCache deleted = LeaderEpochCache.empty(dir.resolve("b"));
        java.nio.file.Files.createDirectories(dir.resolve("b"));
        deleted.assignFirstDeferred(1, 0);
        deleted.discard();
        deleted.writePending();
        assertThat(dir.resolve("b").resolve(LeaderEpochCache.FILE_NAME)).doesNotExist();
    }

    @Test
    void ignoresOlderEpochsAndSurvivesReload() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(2, 0);
        cache.assign(2, 10);
        cache.assign(1, 20);
        cache.assign(4, 30);

        LeaderEpochCache reloaded = LeaderEpochCache.load(dir);

        assertThat(reloaded.entries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(4, 30));
    }

    @Test
    void truncationFromEndAndStart() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(1, 0);
        cache.assign(2, 40);
        cache.assign(3, 90);

        cache.truncateFromEnd(90);
        cache.truncateFromStart(50);

        assertThat(LeaderEpochCache.load(dir).entries()).containsExactly(new EpochEntry(2, 50));
        assertThat(cache.latestEpoch()).contains(2);
    }
}
