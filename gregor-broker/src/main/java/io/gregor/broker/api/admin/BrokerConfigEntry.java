package io.gregor.broker.api.admin;

import io.gregor.protocol.config.ConfigType;
import java.util.Objects;
import java.util.Optional;

/**
 * One broker config as the broker was started with it.
 *
 * @param value the value in effect from the broker's configuration; empty when it has none
 * @param source STATIC_BROKER_CONFIG when set in server.properties, else DEFAULT_CONFIG
 * @param defaultValue the built-in default, if the key has one
 */
public record BrokerConfigEntry(
        String name,
        Optional<String> value,
        ConfigSource source,
        Optional<String> defaultValue,
        ConfigType type,
        String documentation,
        boolean sensitive,
        boolean readOnly) {
    public BrokerConfigEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(documentation, "documentation");
    }
}
