package io.gregor.metadata.control;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.protocol.config.ConfigKey;
import io.gregor.protocol.config.ConfigType;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides config changes of topics and brokers against an image. A resource's changes are
 * all-or-nothing: one invalid key or value fails that resource and writes none of its records,
 * while other resources of the same request proceed. Pure, like {@link TopicControl}.
 */
final class ConfigControl {
    private final ConfigValidation validation;

    ConfigControl(ConfigSchema schema) {
        this.validation = new ConfigValidation(schema);
    }

    ControllerResult<Map<ConfigResource, ApiError>> incrementalAlterConfigs(
            MetadataImage image, Map<ConfigResource, List<ConfigOperation>> changes) {
        List<MetadataRecord> records = new ArrayList<>();
        Map<ConfigResource, ApiError> results = new LinkedHashMap<>();
        changes.forEach((resource, operations) -> {
            List<MetadataRecord> resourceRecords = new ArrayList<>();
            ApiError error = incrementalAlter(image, resource, operations, resourceRecords);
            results.put(resource, error);
            if (error.isSuccess()) {
                records.addAll(resourceRecords);
            }
        });
        return new ControllerResult<>(records, results);
    }

    ControllerResult<Map<ConfigResource, ApiError>> alterConfigs(MetadataImage image,
                                                                 Map<ConfigResource, Map<String, String>> changes) {
        List<MetadataRecord> records = new ArrayList<>();
        Map<ConfigResource, ApiError> results = new LinkedHashMap<>();
        changes.forEach((resource, newConfigs) -> {
            List<MetadataRecord> resourceRecords = new ArrayList<>();
            ApiError error = replace(image, resource, newConfigs, resourceRecords);
            results.put(resource, error);
            if (error.isSuccess()) {
                records.addAll(resourceRecords);
            }
        });
        return new ControllerResult<>(records, results);
    }

    private ApiError incrementalAlter(MetadataImage image, ConfigResource resource, List<ConfigOperation> operations,
                                      List<MetadataRecord> records) {
        Optional<ApiError> missing = checkResource(image, resource);
        if (missing.isPresent()) {
            return missing.get();
        }
        Set<String> seen = new HashSet<>();
        for (ConfigOperation operation : operations) {
            if (!seen.add(operation.key())) {
                return ApiError.of(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
        }
        Map<String, String> current = image.configs(resource);
        for (ConfigOperation operation : operations) {
            String key = operation.key();
            Optional<ConfigKey> definition = validation.key(resource.type(), key);
            if (definition.isEmpty()) {
                if (operation.type() == ConfigOperation.Type.DELETE && current.containsKey(key)) {
                    // A key no longer defined can still be removed, so old overrides are not stuck.
                    records.add(new ConfigRecord(resource, key, Optional.empty()));
                    continue;
                }
                if (operation.type() == ConfigOperation.Type.DELETE && resource.type() == ConfigResourceType.BROKER) {
                    // Nothing to remove. kafka-reassign-partitions.sh --verify deletes every throttle
                    // rate Kafka knows, replica.alter.log.dirs.io.max.bytes.per.second among them.
                    continue;
                }
                return ConfigValidation.unknownKey(resource.type(), key);
            }
            Optional<ApiError> misplaced = validation.checkScope(resource, key);
            if (misplaced.isPresent() && operation.type() != ConfigOperation.Type.DELETE) {
                return misplaced.get();
            }
            Optional<String> newValue;
            switch (operation.type()) {
                case SET -> {
                    if (operation.value().isEmpty()) {
                        return ApiError.of(Errors.INVALID_REQUEST, "Null value not supported for : " + key);
                    }
                    newValue = operation.value();
                }
                case DELETE -> newValue = Optional.empty();
                case APPEND, SUBTRACT -> {
                    if (definition.get().type() != ConfigType.LIST) {
                        return ApiError.of(Errors.INVALID_REQUEST, "Config value " + operation.type().name()
                                .toLowerCase() + " is not allowed for config key: " + key);
                    }
                    newValue = Optional.of(applyListOperation(operation, currentList(current, definition.get())));
                }
                default -> throw new IllegalStateException("unexpected operation " + operation.type());
            }
            if (newValue.isPresent()) {
                Optional<ApiError> invalid = validation.validate(resource.type(), key, newValue.get());
                if (invalid.isPresent()) {
                    return invalid.get();
                }
            }
            if (!Objects.equals(Optional.ofNullable(current.get(key)), newValue)
                    || reloadRequest(resource, newValue)) {
                records.add(new ConfigRecord(resource, key, newValue));
            }
        }
        return ApiError.NONE;
    }

    private ApiError replace(MetadataImage image, ConfigResource resource, Map<String, String> newConfigs,
                             List<MetadataRecord> records) {
        Optional<ApiError> missing = checkResource(image, resource);
        if (missing.isPresent()) {
            return missing.get();
        }
        Map<String, String> sorted = new TreeMap<>(newConfigs);
        for (Map.Entry<String, String> entry : sorted.entrySet()) {
            Optional<ApiError> invalid = validation.validate(resource.type(), entry.getKey(), entry.getValue())
                    .or(() -> validation.checkScope(resource, entry.getKey()));
            if (invalid.isPresent()) {
                return invalid.get();
            }
        }
        Map<String, String> current = image.configs(resource);
        for (String key : new TreeSet<>(current.keySet())) {
            if (!sorted.containsKey(key)) {
                records.add(new ConfigRecord(resource, key, Optional.empty()));
            }
        }
        sorted.forEach((key, value) -> {
            if (!value.equals(current.get(key)) || reloadRequest(resource, Optional.of(value))) {
                records.add(new ConfigRecord(resource, key, Optional.of(value)));
            }
        });
        return ApiError.NONE;
    }

    /**
     * Whether a broker config set to the value it has is still recorded: it asks the brokers to read
     * again what the value names, a key store renewed at the same path (as Kafka's controller
     * records every broker config set, KAFKA-14136).
     */
    private static boolean reloadRequest(ConfigResource resource, Optional<String> newValue) {
        return resource.type() == ConfigResourceType.BROKER && newValue.isPresent();
    }

    private static Optional<ApiError> checkResource(MetadataImage image, ConfigResource resource) {
        return switch (resource.type()) {
            case TOPIC -> image.topic(resource.name()).isPresent()
                    ? Optional.empty()
                    : Optional.of(ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                            "The topic '" + resource.name() + "' does not exist."));
            case BROKER -> resource.name().isEmpty() || isBrokerId(resource.name())
                    ? Optional.empty()
                    : Optional.of(ApiError.of(Errors.INVALID_REQUEST, "Invalid broker name '" + resource.name()
                            + "': expected a broker id, or an empty name for the cluster-wide default."));
        };
    }

    private static boolean isBrokerId(String name) {
        try {
            return Integer.parseInt(name) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The list a key holds now: its override, else its default. */
    private static List<String> currentList(Map<String, String> current, ConfigKey definition) {
        String value = current.get(definition.name());
        if (value != null) {
            return split(value);
        }
        return definition.defaultValue()
                .map(defaultValue -> defaultValue instanceof List<?> list
                        ? list.stream().map(Object::toString).toList()
                        : split(defaultValue.toString()))
                .orElse(List.of());
    }

    private static String applyListOperation(ConfigOperation operation, List<String> current) {
        List<String> items = new ArrayList<>(current);
        List<String> operands = split(operation.value().orElse(""));
        if (operation.type() == ConfigOperation.Type.APPEND) {
            operands.stream().filter(item -> !items.contains(item)).forEach(items::add);
        } else {
            items.removeAll(operands);
        }
        return String.join(",", items);
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
}
