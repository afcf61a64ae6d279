package io.gregor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StartPositionTest {
    private final Clock clock = Clock.fixed(Instant.parse("2025-05-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void namedPositionsAndOffsets() {
        assertThat(StartPosition.parse("earliest", clock)).containsInstanceOf(StartPosition.Earliest.class);
        assertThat(StartPosition.parse("beginning", clock)).containsInstanceOf(StartPosition.Earliest.class);
        assertThat(StartPosition.parse("LATEST", clock)).containsInstanceOf(StartPosition.Latest.class);
        assertThat(StartPosition.parse("42", clock)).contains(new StartPosition.Offset(42));
    }

    @Test
    void relativeTimesCountBackFromNow() {
        assertThat(StartPosition.parse("-15m", clock))
                .contains(new StartPosition.Time(Instant.parse("2025-05-01T11:45:00Z")));
        assertThat(StartPosition.parse("-1d", clock))
                .contains(new StartPosition.Time(Instant.parse("2025-04-30T12:00:00Z")));
    }

    @Test
    void isoTimesInEveryCommonForm() {
        assertThat(StartPosition.parse("2025-01-02T03:04:05Z", clock))
                .contains(new StartPosition.Time(Instant.parse("2025-01-02T03:04:05Z")));
        assertThat(StartPosition.parse("2025-01-02T03:04:05+02:00", clock))
                .contains(new StartPosition.Time(Instant.parse("2025-01-02T01:04:05Z")));
        assertThat(StartPosition.parse("2025-01-02T03:04:05", clock))
                .contains(new StartPosition.Time(Instant.parse("2025-01-02T03:04:05Z")));
        assertThat(StartPosition.parse("2025-01-02", clock))
                .contains(new StartPosition.Time(Instant.parse("2025-01-02T00:00:00Z")));
    }

    @Test
    void anythingElseIsNotAPosition() {
        assertThat(StartPosition.parse("yesterday", clock)).isEmpty();
        assertThat(StartPosition.parse("-15 minutes", clock)).isEmpty();
        assertThat(StartPosition.parse("2025-13-01", clock)).isEmpty();
    }
}
