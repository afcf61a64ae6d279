package io.gregor.broker.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks a parsed value; returns normally when it is acceptable. {@link #describe()} is the
 * human-readable range shown in the documentation ("at least 1", "one of ...").
 */
public interface ConfigValidator {
    /** Throws IllegalArgumentException with a short reason when the value is not acceptable. */
    void check(Object value);

    String describe();

    ConfigValidator ANY = new ConfigValidator() {
        @Override
        public void check(Object value) {
        }

        @Override
        public String describe() {
            return "";
        }
    };

    static ConfigValidator atLeast(long min) {
        return new ConfigValidator() {
            @Override
            public void check(Object value) {
                if (((Number) value).longValue() < min) {
                    throw new IllegalArgumentException("must be at least " + min);
                }
            }

            @Override
            public String describe() {
                return "at least " + min;
            }
        };
    }

    static ConfigValidator between(long min, long max) {
        return new ConfigValidator() {
            @Override
            public void check(Object value) {
                long v = ((Number) value).longValue();
                if (v < min || v > max) {
                    throw new IllegalArgumentException("must be between " + min + " and " + max);
                }
            }

            @Override
            public String describe() {
                return min + " to " + max;
            }
        };
    }

    /** For STRING keys (case-sensitive) and for each item of LIST keys. */
    static ConfigValidator oneOf(String... allowed) {
        List<String> choices = List.of(allowed);
        return new ConfigValidator() {
            @Override
            public void check(Object value) {
                Collection<?> items = value instanceof Collection<?> c ? c : List.of(value);
                for (Object item : items) {
                    if (!choices.contains(item)) {
                        throw new IllegalArgumentException("must be " + (value instanceof Collection<?> ? "a list of " : "")
                                + "one of " + String.join(", ", choices));
                    }
                }
            }

            @Override
            public String describe() {
                return "one of " + String.join(", ", choices);
            }
        };
    }

    /** Like {@link #oneOf} but ignoring case; the value keeps the operator's spelling. */
    static ConfigValidator oneOfIgnoringCase(String... allowed) {
        List<String> lower = List.of(allowed).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        return new ConfigValidator() {
            @Override
            public void check(Object value) {
                if (!lower.contains(value.toString().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
                }
            }

            @Override
            public String describe() {
                return "one of " + String.join(", ", allowed);
            }
        };
    }
}
