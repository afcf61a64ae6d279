package io.gregor.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppliedOffsetsTest {
    @Test
    void anIndexBetweenAppliedEntriesHasTheOffsetOfTheLastOneAtOrBeforeIt() {
        AppliedOffsets offsets = new AppliedOffsets();
        assertThat(offsets.nextOffsetAt(1)).as("nothing applied yet").isEmpty();

        offsets.applied(1, 0);   // the leader's no-op entry: no records
        offsets.applied(2, 3);   // a batch of three records
        offsets.applied(4, 5);

        assertThat(offsets.nextOffsetAt(1)).hasValue(0);
        assertThat(offsets.nextOffsetAt(2)).hasValue(3);
        assertThat(offsets.nextOffsetAt(3)).hasValue(3);
        assertThat(offsets.nextOffsetAt(9)).hasValue(5);
        assertThat(offsets.nextOffsetAt(0)).isEmpty();
    }

    @Test
    void onlyRecentIndexesAreKept() {
        AppliedOffsets offsets = new AppliedOffsets();
        for (long index = 1; index <= 5000; index++) {
            offsets.applied(index, index * 2);
        }
        assertThat(offsets.nextOffsetAt(5000)).hasValue(10000);
        assertThat(offsets.nextOffsetAt(4000)).hasValue(8000);
        assertThat(offsets.nextOffsetAt(100)).as("long gone").isEmpty();
    }

    @Test
    void aSnapshotStartsAfreshAtItsIndex() {
        AppliedOffsets offsets = new AppliedOffsets();
        offsets.applied(1, 1);
        offsets.reset(100, 250);
        assertThat(offsets.nextOffsetAt(1)).isEmpty();
        assertThat(offsets.nextOffsetAt(100)).hasValue(250);
        assertThat(offsets.nextOffsetAt(150)).hasValue(250);
    }
}
