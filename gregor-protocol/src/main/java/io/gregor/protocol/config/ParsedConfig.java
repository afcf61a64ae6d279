package io.gregor.protocol.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed values of every defined key (given or default), plus the keys nobody defined. Immutable. */
public final class ParsedConfig {
    private final Map<String, Object> values;
    private final Set<String> unknownKeys;

    ParsedConfig(Map<String, Object> values, Set<String> unknownKeys) {
        this.values = Collections.unmodifiableMap(values);
        this.unknownKeys = Collections.unmodifiableSet(unknownKeys);
    }

    public int getInt(String key) {
        return (Integer) get(key);
    }

    public long getLong(String key) {
        return (Long) get(key);
    }

    public double getDouble(String key) {
        return (Double) get(key);
    }

    public boolean getBoolean(String key) {
        return (Boolean) get(key);
    }

    public String getString(String key) {
        return (String) get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) get(key);
    }

    public Password getPassword(String key) {
        return (Password) get(key);
    }

    public Object get(String key) {
        Object value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Unknown configuration " + key);
        }
        return value;
    }

    /** All defined keys with their typed values. */
    public Map<String, Object> values() {
        return values;
    }

    /** Keys that were given but are not defined; the caller decides whether to warn. */
    public Set<String> unknownKeys() {
        return unknownKeys;
    }
}
