package io.gregor.broker.config;

import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ConfigType;
import io.gregor.protocol.config.Validator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One broker configuration key. Unlike a topic key, a broker key may have no default (its
 * meaning then derives from other keys, as the doc says) and may have synonyms: older or
 * alternative names for the same setting ({@code broker.id} for {@code node.id}). Values are
 * parsed and validated with the shared {@link ConfigDef} machinery, so errors read the same as
 * for topic configs.
 *
 * @param defaultValue parsed default; empty when the key has none
 * @param validValues  the accepted range in words, for documentation ("at least 1"); may be empty
 */
public record BrokerConfigKey(
        String name,
        ConfigType type,
        Optional<Object> defaultValue,
        Validator validator,
        String validValues,
        String doc,
        List<String> synonyms) {

    public BrokerConfigKey {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(defaultValue);
        Objects.requireNonNull(validator);
        Objects.requireNonNull(validValues);
        Objects.requireNonNull(doc);
        synonyms = List.copyOf(synonyms);
    }

    /**
     * Parses and validates property text.
     *
     * @throws io.gregor.protocol.config.ConfigException naming this key and the value
     */
    public Object parse(String text) {
        return parse(name, text);
    }

    /**
     * Parses and validates property text given under another key that means this one for a part
     * of the broker (listener.name.LISTENER.ssl.* for ssl.*).
     *
     * @throws io.gregor.protocol.config.ConfigException naming {@code givenAs} and the value
     */
    public Object parse(String givenAs, String text) {
        Object value = ConfigDef.parseValue(givenAs, type, text);
        validator.ensureValid(givenAs, value);
        return value;
    }

    /** The default as an operator would write it in server.properties, or empty. */
    public Optional<String> defaultText() {
        return defaultValue.map(v -> v instanceof List<?> list
                ? String.join(",", list.stream().map(Object::toString).toList())
                : v.toString());
    }
}
