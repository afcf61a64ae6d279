package io.gregor.metadata.control;

import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ConfigException;
import io.gregor.protocol.config.ConfigKey;
import io.gregor.protocol.error.Errors;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Checks config keys and values against the schema; errors name the key and the value. */
final class ConfigValidation {
    private final ConfigSchema schema;

    ConfigValidation(ConfigSchema schema) {
        this.schema = schema;
    }

    Optional<ApiError> validateNewTopicConfigs(Map<String, String> configs) {
        for (Map.Entry<String, String> entry : new TreeMap<>(configs).entrySet()) {
            Optional<ApiError> invalid = validate(ConfigResourceType.TOPIC, entry.getKey(), entry.getValue());
            if (invalid.isPresent()) {
                return invalid;
            }
        }
        return Optional.empty();
    }

    /** Why {@code value} is not acceptable for {@code key} on this type of resource; empty if it is. */
    Optional<ApiError> validate(ConfigResourceType type, String key, String value) {
        Optional<ConfigKey> definition = schema.key(type, key);
        if (definition.isEmpty()) {
            return Optional.of(unknownKey(type, key));
        }
        try {
            Object parsed = ConfigDef.parseValue(key, definition.get().type(), value);
            definition.get().validator().ensureValid(key, parsed);
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(ApiError.of(Errors.INVALID_CONFIG, e.getMessage()));
        }
    }

    /** Why {@code key} may not be set on this resource although its type has it: a per-broker key as cluster default. */
    Optional<ApiError> checkScope(ConfigResource resource, String key) {
        if (resource.type() == ConfigResourceType.BROKER && resource.name().isEmpty() && schema.perBrokerOnly(key)) {
            return Optional.of(ApiError.of(Errors.INVALID_REQUEST,
                    "Cannot update these configs at default cluster level, broker id must be specified: [" + key + "]"));
        }
        return Optional.empty();
    }

    Optional<ConfigKey> key(ConfigResourceType type, String key) {
        return schema.key(type, key);
    }

    static ApiError unknownKey(ConfigResourceType type, String key) {
        return switch (type) {
            case TOPIC -> ApiError.of(Errors.INVALID_CONFIG, "Unknown topic config name: " + key);
            case BROKER -> ApiError.of(Errors.INVALID_CONFIG,
                    "Cannot update these configs dynamically: [" + key + "]");
        };
    }
}
