package io.gregor.protocol.config;

import java.util.List;

/** Checks a parsed value; throws {@link ConfigException} naming key, value and reason. */
@FunctionalInterface
public interface Validator {
    void ensureValid(String key, Object value);

    /** Accepts any value. */
    Validator ANY = (key, value) -> { };

    /** Numbers at least {@code min}. */
    static Validator atLeast(Number min) {
        return between(min, null);
    }

    /** Numbers within {@code [min, max]}; a null bound is open. */
    static Validator between(Number min, Number max) {
        return (key, value) -> {
            double number = ((Number) value).doubleValue();
            if (min != null && number < min.doubleValue()) {
                throw new ConfigException(key, value, "Value must be at least " + min);
            }
            if (max != null && number > max.doubleValue()) {
                throw new ConfigException(key, value, "Value must be no more than " + max);
            }
        };
    }

    /** Strings (or every element of a list) equal to one of {@code allowed}, ignoring case. */
    static Validator oneOf(String... allowed) {
        List<String> choices = List.of(allowed);
        return (key, value) -> {
            List<?> values = value instanceof List<?> list ? list : List.of(value);
            for (Object v : values) {
                if (choices.stream().noneMatch(c -> c.equalsIgnoreCase(v.toString()))) {
                    throw new ConfigException(key, value, "String must be one of: " + String.join(", ", choices));
                }
            }
        };
    }
}
