package io.gregor.metadata.control;

import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ConfigKey;
import java.util.Objects;
import java.util.Optional;

/**
 * The configs the controller accepts per resource type: every topic config (as defined by the
 * storage layer's LogConfig), and the broker configs that may be changed while running.
 */
public record ConfigSchema(ConfigDef topicConfigs, ConfigDef dynamicBrokerConfigs) {
    public ConfigSchema {
        Objects.requireNonNull(topicConfigs, "topicConfigs");
        Objects.requireNonNull(dynamicBrokerConfigs, "dynamicBrokerConfigs");
    }

    public Optional<ConfigKey> key(ConfigResourceType type, String name) {
        return switch (type) {
            case TOPIC -> topicConfigs.key(name);
            case BROKER -> dynamicBrokerConfigs.key(name);
        };
    }
}
