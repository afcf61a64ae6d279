package io.gregor.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class CompactLayoutTest {
    private final LoggerContext context = new LoggerContext();
    private final CompactLayout layout = new CompactLayout();

    CompactLayoutTest() {
        layout.setContext(context);
        layout.start();
    }

    @Test
    void oneLineWithTimeLevelShortLoggerNameAndMessage() {
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("io.gregor.broker.Broker"), Level.INFO,
                "started in {} ms", null, new Object[] {85});

        assertThat(layout.doLayout(event))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d INFO  Broker - started in 85 ms" + System.lineSeparator());
    }

    @Test
    void timeOfDayIsWhatJavaTimeFormatsInEachZone() {
        for (String zone : new String[] {"UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kolkata", "Australia/Lord_Howe"}) {
            DateTimeFormatter expected = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.of(zone));
            // midnight, a leap day, instants either side of summer time changes, times before 1970
            for (long millis : new long[] {0, 1, 999, 86_399_999, 951_782_400_123L, 1_711_846_800_000L,
                    1_711_846_799_999L, 1_729_990_800_007L, 1_796_604_620_081L, -1, -86_400_001, -123_456_789}) {
                StringBuilder line = new StringBuilder();
                CompactLayout.appendTimeOfDay(line, millis, TimeZone.getTimeZone(zone));
                assertThat(line).as("%s at %d", zone, millis).hasToString(expected.format(Instant.ofEpochMilli(millis)));
            }
        }
    }

    @Test
    void stackTraceFollowsTheLine() {
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("Top"), Level.ERROR, "failed",
                new IllegalStateException("disk gone"), null);

        String text = layout.doLayout(event);

        assertThat(text.lines().findFirst()).hasValueSatisfying(line -> assertThat(line).endsWith(" ERROR Top - failed"));
        assertThat(text).contains("java.lang.IllegalStateException: disk gone")
                .contains("\tat io.gregor.server.logging.CompactLayoutTest")
                .endsWith(System.lineSeparator());
    }
}
