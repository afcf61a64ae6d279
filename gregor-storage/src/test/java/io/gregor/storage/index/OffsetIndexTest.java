package io.gregor.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {
    @TempDir
    Path dir;

    @Test
    void looksUpTheLastEntryAtOrBeforeAnOffset() {
        OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000000100.index"), 100, 1024);
        index.append(110, 500);
        index.append(120, 1000);
        index.append(135, 1700);

        assertThat(index.lookup(100)).isEqualTo(new IndexEntry(100, 0));
        assertThat(index.lookup(110)).isEqualTo(new IndexEntry(110, 500));
        assertThat(index.lookup(134)).isEqualTo(new IndexEntry(120, 1000));
        assertThat(index.lookup(10_000)).isEqualTo(new IndexEntry(135, 1700));
    }

    @Test
    void findsTheLastEntryWithinBothAnOffsetAndAPositionLimit() {
        OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000000100.index"), 100, 1024);
        index.append(110, 500);
        index.append(120, 1000);
        index.append(135, 1700);

        assertThat(index.lastEntryWithin(10_000, 10_000)).isEqualTo(new IndexEntry(135, 1700));
        assertThat(index.lastEntryWithin(134, 10_000)).isEqualTo(new IndexEntry(120, 1000));
        assertThat(index.lastEntryWithin(10_000, 1699)).isEqualTo(new IndexEntry(120, 1000));
        assertThat(index.lastEntryWithin(119, 1000)).isEqualTo(new IndexEntry(110, 500));
        assertThat(index.lastEntryWithin(10_000, 499)).isEqualTo(new IndexEntry(100, 0));
        assertThat(index.lastEntryWithin(109, 10_000)).isEqualTo(new IndexEntry(100, 0));
    }

    @Test
    void aNewFileStartsAtOnePageAndDoublesUpToTheMaximumKeepingEveryEntry() throws Exception {
        Path file = dir.resolve("0.index");
        OffsetIndex index = new OffsetIndex(file, 0, 5 * 4096);
        index.append(1, 0);
        assertThat(Files.size(file)).isEqualTo(4096);

        int entries = 5 * 4096 / 8;
        for (int i = 1; i < entries; i++) {
            index.append(i + 1, i * 10);
        }

        assertThat(Files.size(file)).isEqualTo(5 * 4096); // 4 KB, 8 KB, 16 KB, then capped at 20 KB
        assertThat(index.isFull()).isTrue();
        for (int i = 0; i < entries; i++) {
            assertThat(index.lookup(i + 1)).isEqualTo(new IndexEntry(i + 1, i * 10));
        }
        index.close();
        assertThat(new OffsetIndex(file, 0, 5 * 4096).lastEntry()).isEqualTo(new IndexEntry(entries, (entries - 1) * 10));
    }

    @Test
    void isFullAtItsMaximumSizeAndRefusesMore() {
        OffsetIndex index = new OffsetIndex(dir.resolve("0.index"), 0, 20); // rounds down to 2 entries
        index.append(1, 10);
        index.append(2, 20);

        assertThat(index.isFull()).isTrue();
        assertThatThrownBy(() -> index.append(3, 30)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void trimmedFileReopensWithItsEntries() throws Exception {
        Path file = dir.resolve("0.index");
        OffsetIndex index = new OffsetIndex(file, 0, 1024);
        index.append(5, 100);
        index.append(9, 200);
        index.close();
        assertThat(Files.size(file)).isEqualTo(16);

        OffsetIndex reopened = new OffsetIndex(file, 0, 1024);

        assertThat(reopened.entries()).isEqualTo(2);
        assertThat(reopened.lookup(9)).isEqualTo(new IndexEntry(9, 200));
        reopened.append(12, 300);
        assertThat(reopened.lastEntry()).isEqualTo(new IndexEntry(12, 300));
    }

    @Test
    void truncateRemovesEntriesAtAndAboveTheOffset() {
        OffsetIndex index = new OffsetIndex(dir.resolve("0.index"), 0, 1024);
        index.append(5, 100);
        index.append(9, 200);
        index.append(14, 300);

        index.truncateTo(9);

        assertThat(index.entries()).isEqualTo(1);
        assertThat(index.lookup(100)).isEqualTo(new IndexEntry(5, 100));
        assertThatThrownBy(() -> index.append(5, 400)).isInstanceOf(IllegalArgumentException.class);
    }
}
