package io.gregor.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.util.TimeZone;

/**
 * "12:04:05.123 INFO  Broker - message", then the stack trace if any: what the pattern
 * {@code %d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n} prints, without logback's pattern parser
 * and its converters (about a tenth of the broker's start-up). The time of day is worked out from
 * the zone's offset rather than with java.time, whose zone rules and formatter took a third of
 * the logging set-up that the broker's start waits for.
 */
final class CompactLayout extends LayoutBase<ILoggingEvent> {
    private static final TimeZone ZONE = TimeZone.getDefault();
    private static final long MILLIS_PER_DAY = 86_400_000L;

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        appendTimeOfDay(line, event.getTimeStamp(), ZONE);
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

    /** HH:mm:ss.SSS in {@code zone}, at its offset (summer time or not) at that instant. */
    static void appendTimeOfDay(StringBuilder line, long epochMillis, TimeZone zone) {
        int millisOfDay = (int) Math.floorMod(epochMillis + zone.getOffset(epochMillis), MILLIS_PER_DAY);
        appendDigits(line, millisOfDay / 3_600_000, 2);
        line.append(':');
        appendDigits(line, millisOfDay / 60_000 % 60, 2);
        line.append(':');
        appendDigits(line, millisOfDay / 1_000 % 60, 2);
        line.append('.');
        appendDigits(line, millisOfDay % 1_000, 3);
    }

    private static void appendDigits(StringBuilder line, int value, int digits) {
        for (int unit = digits == 3 ? 100 : 10; unit > 0; unit /= 10) {
            line.append((char) ('0' + value / unit % 10));
        }
    }
}
