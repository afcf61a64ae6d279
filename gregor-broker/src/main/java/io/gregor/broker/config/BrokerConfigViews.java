package io.gregor.broker.config;

import io.gregor.broker.api.admin.BrokerConfigEntry;
import io.gregor.broker.api.admin.BrokerConfigView;
import io.gregor.broker.api.admin.ConfigSource;
import io.gregor.broker.api.admin.TopicConfigCatalog;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ConfigType;
import io.gregor.storage.log.LogConfig;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adapts the broker's configuration to what the config handlers show: the static broker
 * configs for BROKER resources (read-only but for the dynamic keys), and for TOPIC resources the
 * topic keys with the defaults this broker's configuration, static and dynamic, gives them.
 */
public final class BrokerConfigViews {
    private BrokerConfigViews() {
    }

    /**
     * Built when first asked for (DescribeConfigs, CreateTopics) rather than while the broker
     * starts, where building an entry per broker config was a millisecond or two of each start.
     */
    public static BrokerConfigView brokerView(BrokerConfig config) {
        return new BrokerConfigView() {
            private volatile List<BrokerConfigEntry> entries;

            @Override
            public List<BrokerConfigEntry> entries() {
                List<BrokerConfigEntry> built = entries;
                if (built == null) {
                    built = allEntries(config); // two threads may both build it: the same list
                    entries = built;
                }
                return built;
            }
        };
    }

    private static List<BrokerConfigEntry> allEntries(BrokerConfig config) {
        return BrokerConfig.DEFINITIONS.keys().stream()
                .map(key -> new BrokerConfigEntry(
                        key.name(),
                        config.value(key.name()).map(BrokerConfigViews::text),
                        config.isExplicit(key.name()) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG,
                        key.defaultValue().map(BrokerConfigViews::text),
                        key.type(),
                        key.doc(),
                        key.type() == ConfigType.PASSWORD,
                        !BrokerConfig.isDynamic(key.name())))
                .toList();
    }

    /** Topic configs with the defaults the broker's configuration, static and dynamic, gives them. */
    public static TopicConfigCatalog topicCatalog(DynamicBrokerConfig config) {
        return new TopicConfigCatalog() {
            @Override
            public ConfigDef definitions() {
                return LogConfig.DEFINITION;
            }

            @Override
            public List<String> brokerSynonyms(String topicConfig) {
                return BrokerConfig.LOG_CONFIG_SYNONYMS.getOrDefault(topicConfig, List.of());
            }

            @Override
            public Map<String, String> effectiveDefaults(MetadataImage image) {
                Map<String, String> fromBroker = config.effective(image).logDefaults();
                Map<String, String> all = new HashMap<>();
                LogConfig.create(fromBroker, Map.of()).values().forEach((key, value) -> {
                    if (value != null) {
                        all.put(key, text(value));
                    }
                });
                all.putAll(fromBroker);
                return all;
            }

            @Override
            public Map<String, String> ownDynamicConfigs(MetadataImage image) {
                return config.own(image);
            }
        };
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
