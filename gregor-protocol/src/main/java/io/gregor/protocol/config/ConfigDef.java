package io.gregor.protocol.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A set of typed configuration definitions: key, type, default, validator, importance and
 * documentation, in one place per module. {@link #parse} turns raw strings (or already typed
 * values) into a {@link ParsedConfig}, failing with a {@link ConfigException} that names the key,
 * the value and the reason; keys nobody defined are returned to the caller, who decides whether
 * to warn. Instances are built once at class initialisation and are then read-only.
 */
public final class ConfigDef {
    /** Marks a key as required: parsing fails if it is absent. */
    public static final Object NO_DEFAULT = new Object() {
        @Override
        public String toString() {
            return "NO_DEFAULT";
        }
    };

    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    public ConfigDef define(String name, ConfigType type, Object defaultValue, Validator validator,
                            Importance importance, String documentation) {
        if (keys.containsKey(name)) {
            throw new IllegalArgumentException("Configuration " + name + " is defined twice");
        }
        Optional<Object> parsedDefault = Optional.empty();
        if (defaultValue != NO_DEFAULT) {
            Object parsed = parseValue(name, type, defaultValue);
            validator.ensureValid(name, parsed);
            parsedDefault = Optional.of(parsed);
        }
        keys.put(name, new ConfigKey(name, type, parsedDefault, validator, importance, documentation));
        return this;
    }

    public ConfigDef define(String name, ConfigType type, Object defaultValue, Importance importance,
                            String documentation) {
        return define(name, type, defaultValue, Validator.ANY, importance, documentation);
    }

    /** The definitions in definition order. */
    public Map<String, ConfigKey> keys() {
        return Collections.unmodifiableMap(keys);
    }

    public Optional<ConfigKey> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    public ParsedConfig parse(Properties properties) {
        Map<String, Object> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        return parse(values);
    }

    /** Parses and validates every defined key; values may be strings or already typed. */
    public ParsedConfig parse(Map<String, ?> originals) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            Object value;
            if (originals.containsKey(key.name())) {
                value = parseValue(key.name(), key.type(), originals.get(key.name()));
                key.validator().ensureValid(key.name(), value);
            } else {
                value = key.defaultValue().orElseThrow(() -> ConfigException.missing(key.name()));
            }
            values.put(key.name(), value);
        }
        Set<String> unknown = new TreeSet<>(originals.keySet());
        unknown.removeAll(keys.keySet());
        return new ParsedConfig(values, unknown);
    }

    /** Parses one raw value (a String, or an object of the right type) to {@code type}. */
    public static Object parseValue(String name, ConfigType type, Object raw) {
        if (raw == null) {
            throw new ConfigException(name, null, "Value must not be null");
        }
        String text = raw instanceof String s ? s.trim() : null;
        try {
            return switch (type) {
                case BOOLEAN -> parseBoolean(name, raw, text);
                case INT -> text != null ? Integer.valueOf(text) : Integer.valueOf(exactInt(name, raw));
                case LONG -> text != null ? Long.valueOf(text) : Long.valueOf(((Number) raw).longValue());
                case DOUBLE -> text != null ? Double.valueOf(text) : Double.valueOf(((Number) raw).doubleValue());
                case STRING, CLASS -> text != null ? text : classOrString(raw);
                case LIST -> parseList(raw, text);
                case PASSWORD -> raw instanceof Password p ? p : new Password(raw.toString());
            };
        } catch (NumberFormatException | ClassCastException e) {
            throw new ConfigException(name, raw, "Not a number of type " + type);
        }
    }

    private static Boolean parseBoolean(String name, Object raw, String text) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.valueOf(text);
        }
        throw new ConfigException(name, raw, "Expected value to be either true or false");
    }

    private static int exactInt(String name, Object raw) {
        long value = ((Number) raw).longValue();
        if (value != (int) value) {
            throw new ConfigException(name, raw, "Not a number of type INT");
        }
        return (int) value;
    }

    private static String classOrString(Object raw) {
        return raw instanceof Class<?> c ? c.getName() : raw.toString();
    }

    private static List<String> parseList(Object raw, String text) {
        if (raw instanceof List<?> list) {
            return list.stream().map(Object::toString).toList();
        }
        List<String> items = new ArrayList<>();
        for (String item : Arrays.asList(text.split(","))) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }
}
