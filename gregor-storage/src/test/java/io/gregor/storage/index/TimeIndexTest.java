package io.gregor.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {
    @TempDir
    Path dir;

    @Test
    void keepsOnlyIncreasingTimestampsAndFindsTheEntryBeforeATime() {
        TimeIndex index = new TimeIndex(dir.resolve("0.timeindex"), 50, 1200);
        index.maybeAppend(1000, 55);
        index.maybeAppend(900, 60); // older: adds nothing
        index.maybeAppend(2000, 70);
        index.maybeAppend(3000, 80);

        assertThat(index.entries()).isEqualTo(3);
        assertThat(index.lastEntryBefore(1000)).isEmpty();
        assertThat(index.lastEntryBefore(1001)).contains(new TimeIndexEntry(1000, 55));
        assertThat(index.lastEntryBefore(2500)).contains(new TimeIndexEntry(2000, 70));
        assertThat(index.lastEntry()).contains(new TimeIndexEntry(3000, 80));
    }

    @Test
    void truncateDropsEntriesForRemovedOffsets() {
        TimeIndex index = new TimeIndex(dir.resolve("0.timeindex"), 0, 1200);
        index.maybeAppend(1000, 5);
        index.maybeAppend(2000, 10);

        index.truncateTo(10);

        assertThat(index.lastEntry()).contains(new TimeIndexEntry(1000, 5));
    }
}
