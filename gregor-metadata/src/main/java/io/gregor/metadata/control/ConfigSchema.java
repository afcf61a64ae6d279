package io.gregor.metadata.control;

import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ConfigKey;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configs the controller accepts per resource type: every topic config (as defined by the
 * storage layer's LogConfig), the broker configs that may be changed while running, and the
 * settings of one listener that may be ({@code listener.name.LISTENER.KEY}), which only a single
 * broker may be given, not the cluster default, as in Kafka.
 */
public record ConfigSchema(ConfigDef topicConfigs, ConfigDef dynamicBrokerConfigs, ConfigDef dynamicListenerConfigs) {
    private static final Pattern LISTENER_KEY = Pattern.compile("listener\\.name\\.[A-Za-z0-9_]+\\.(.+)");

    public ConfigSchema {
        Objects.requireNonNull(topicConfigs, "topicConfigs");
        Objects.requireNonNull(dynamicBrokerConfigs, "dynamicBrokerConfigs");
        Objects.requireNonNull(dynamicListenerConfigs, "dynamicListenerConfigs");
    }

    /** A schema without dynamic listener settings. */
    public ConfigSchema(ConfigDef topicConfigs, ConfigDef dynamicBrokerConfigs) {
        this(topicConfigs, dynamicBrokerConfigs, new ConfigDef());
    }

    public Optional<ConfigKey> key(ConfigResourceType type, String name) {
        return switch (type) {
            case TOPIC -> topicConfigs.key(name);
            case BROKER -> listenerSetting(name).map(dynamicListenerConfigs::key)
                    .orElseGet(() -> dynamicBrokerConfigs.key(name));
        };
    }

    /** Whether a broker config may be set for one broker only, not as the cluster default. */
    public boolean perBrokerOnly(String name) {
        return listenerSetting(name).flatMap(dynamicListenerConfigs::key).isPresent();
    }

    private static Optional<String> listenerSetting(String name) {
        Matcher matcher = LISTENER_KEY.matcher(name);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
