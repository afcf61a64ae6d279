package io.gregor.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
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
