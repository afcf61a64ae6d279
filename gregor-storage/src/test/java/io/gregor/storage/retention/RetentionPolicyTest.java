package io.gregor.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    static final long NOW = 1_000_000L;
    final List<SegmentSummary> segments = List.of(
            new SegmentSummary(0, 100, 1000, NOW - 50_000),
            new SegmentSummary(100, 200, 1000, NOW - 40_000),
            new SegmentSummary(200, 300, 1000, NOW - 1_000),
            new SegmentSummary(300, 350, 500, NOW - 10));

    @Test
    void deletesLeadingSegmentsOlderThanRetentionMs() {
        assertThat(RetentionPolicy.deletableSegments(segments, 30_000, -1, NOW, 350)).isEqualTo(2);
        assertThat(RetentionPolicy.deletableSegments(segments, -1, -1, NOW, 350)).isZero();
    }

    @Test
    void deletesWhileTheRestStaysAtOrAboveRetentionBytes() {
        assertThat(RetentionPolicy.deletableSegments(segments, -1, 1500, NOW, 350)).isEqualTo(2);
        assertThat(RetentionPolicy.deletableSegments(segments, -1, 1600, NOW, 350)).isEqualTo(1);
    }

    @Test
    void neverTheActiveSegmentNorAnythingAboveTheHighWatermark() {
        assertThat(RetentionPolicy.deletableSegments(segments, 0, 0, NOW, 350)).isEqualTo(3);
        assertThat(RetentionPolicy.deletableSegments(segments, 0, 0, NOW, 150)).isEqualTo(1);
    }
}
