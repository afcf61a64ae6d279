package io.gregor.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * "12:04:05.123 INFO  Broker - message", then the stack trace if any: what the pattern
 * {@code %d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n} prints, without logback's pattern parser
 * and its converters (about a tenth of the broker's start-up).
 */
final class CompactLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
        line.append(' ');
        String level = event.getLevel().toString();
        line.append(level);
        for (int pad = level.length(); pad < 5; pad++) {
            line.append(' ');
        }
        String logger = event.getLoggerName();
        line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length())
                .append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)); // ends with a line separator
        }
        return line.toString();
    }
}
