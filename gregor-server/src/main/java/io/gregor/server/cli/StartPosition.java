package io.gregor.server.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Where {@code gregor consume} starts reading a partition. */
sealed interface StartPosition {
    record Earliest() implements StartPosition {
    }

    record Latest() implements StartPosition {
    }

    record Offset(long offset) implements StartPosition {
    }

    /** The first record at or after this time. */
    record Time(Instant instant) implements StartPosition {
    }

    /**
     * Parses {@code earliest|beginning}, {@code latest|end}, an offset, an ISO-8601 time (instant,
     * with offset, local date-time or date, the local ones in the system's zone), or a time
     * relative to now such as {@code -15m}, {@code -2h}, {@code -1d}.
     */
    static Optional<StartPosition> parse(String text, Clock clock) {
        String t = text.trim();
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "earliest", "beginning" -> {
                return Optional.of(new Earliest());
            }
            case "latest", "end" -> {
                return Optional.of(new Latest());
            }
            default -> {
            }
        }
        if (t.matches("\\d{1,18}")) {
            return Optional.of(new Offset(Long.parseLong(t)));
        }
        if (t.startsWith("-")) {
            return DurationConverter.parse(t.substring(1)).map(d -> new Time(clock.instant().minus(d)));
        }
        return parseTime(t, clock.getZone()).map(Time::new);
    }

    private static Optional<Instant> parseTime(String text, ZoneId zone) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notInstant) {
            // try the next form
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException notOffsetDateTime) {
            // try the next form
        }
        try {
            return Optional.of(LocalDateTime.parse(text).atZone(zone).toInstant());
        } catch (DateTimeParseException notLocalDateTime) {
            // try the next form
        }
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay(zone).toInstant());
        } catch (DateTimeParseException notDate) {
            return Optional.empty();
        }
    }

    /** picocli converter: a bad value is a usage error (exit 2) saying what would be accepted. */
    final class Converter implements ITypeConverter<StartPosition> {
        @Override
        public StartPosition convert(String text) {
            return parse(text, Clock.systemDefaultZone()).orElseThrow(() -> new TypeConversionException(
                    "'" + text + "' is not a start position; use earliest, latest, an offset (42), an ISO-8601 time "
                            + "(2025-05-01T12:00:00Z) or a relative time (-15m, -2h, -1d)"));
        }
    }
}
