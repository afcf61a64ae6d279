package io.gregor.broker.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration key: its name, type, default, range and documentation. Synonyms are older
 * or alternative names that mean the same key (e.g. {@code broker.id} for {@code node.id}).
 *
 * @param defaultValue parsed default; empty when the key has none (its meaning is then derived
 *                     from other keys, as the doc says)
 */
public record ConfigKey(
        String name,
        ConfigType type,
        Optional<Object> defaultValue,
        ConfigValidator validator,
        String doc,
        List<String> synonyms) {

    public ConfigKey {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(defaultValue);
        Objects.requireNonNull(validator);
        Objects.requireNonNull(doc);
        synonyms = List.copyOf(synonyms);
    }

    /** Parses and validates property text, naming this key and the value on failure. */
    public Object parse(String text) {
        String trimmed = text.trim();
        try {
            Object value = type.parse(trimmed);
            validator.check(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, trimmed, e.getMessage());
        }
    }

    /** The default as an operator would write it in server.properties, or empty. */
    public Optional<String> defaultText() {
        return defaultValue.map(v -> v instanceof List<?> list
                ? String.join(",", list.stream().map(Object::toString).toList())
                : v.toString());
    }
}
