package io.gregor.broker.config;

import java.util.Arrays;
import java.util.List;

/** The value types a configuration key can have, each with its parser from property text. */
public enum ConfigType {
    BOOLEAN("boolean") {
        @Override
        Object parse(String text) {
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("expected true or false");
        }
    },
    SHORT("short") {
        @Override
        Object parse(String text) {
            long value = parseWhole(text);
            if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                throw new IllegalArgumentException("out of range for a 16-bit number");
            }
            return (short) value;
        }
    },
    INT("int") {
        @Override
        Object parse(String text) {
            long value = parseWhole(text);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("out of range for a 32-bit number");
            }
            return (int) value;
        }
    },
    LONG("long") {
        @Override
        Object parse(String text) {
            return parseWhole(text);
        }
    },
    STRING("string") {
        @Override
        Object parse(String text) {
            return text;
        }
    },
    /** Comma-separated; blanks around items are dropped, an empty text is the empty list. */
    LIST("list") {
        @Override
        Object parse(String text) {
            if (text.isBlank()) {
                return List.of();
            }
            return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    };

    private final String displayName;

    ConfigType(String displayName) {
        this.displayName = displayName;
    }

    /** Parses trimmed property text; throws IllegalArgumentException with a short reason. */
    abstract Object parse(String text);

    public String displayName() {
        return displayName;
    }

    private static long parseWhole(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }
}
