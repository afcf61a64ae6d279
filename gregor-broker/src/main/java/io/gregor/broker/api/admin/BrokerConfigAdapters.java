package io.gregor.broker.api.admin;

import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.config.BrokerConfigKey;
import io.gregor.protocol.config.ConfigDef;
import io.gregor.protocol.config.ConfigType;
import io.gregor.storage.log.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Presents the broker's configuration (BrokerConfig) and the topic config definitions (the
 * storage layer's LogConfig) the way the admin handlers read them, so the broker assembly wires
 * the handlers with one call each.
 */
public final class BrokerConfigAdapters {
    private BrokerConfigAdapters() {
    }

    /** Topic configs with their broker synonyms and the defaults this broker's settings give them. */
    public static TopicConfigCatalog topicCatalog(BrokerConfig config) {
        return new TopicConfigCatalog() {
            @Override
            public ConfigDef definitions() {
                return LogConfig.DEFINITION;
            }

            @Override
            public List<String> brokerSynonyms(String topicConfig) {
                return LogConfig.brokerSynonyms(topicConfig).stream().map(LogConfig.BrokerSynonym::name).toList();
            }

            @Override
            public String effectiveDefault(String topicConfig) {
                String fromBroker = config.logDefaults().get(topicConfig);
                if (fromBroker != null) {
                    return fromBroker;
                }
                return LogConfig.DEFINITION.key(topicConfig)
                        .flatMap(key -> key.defaultValue().map(TopicConfigDescriber::render))
                        .orElse("");
            }
        };
    }

    /**
     * Every broker config with its value and whether server.properties set it. Broker configs
     * cannot be changed while running here, so all are read-only.
     */
    public static BrokerConfigView brokerView(BrokerConfig config) {
        List<BrokerConfigEntry> entries = new ArrayList<>();
        for (BrokerConfigKey key : BrokerConfig.DEFINITIONS.keys()) {
            Optional<String> value = config.value(key.name()).map(TopicConfigDescriber::render);
            entries.add(new BrokerConfigEntry(key.name(), value,
                    config.isExplicit(key.name()) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG,
                    key.defaultText(), key.type(), key.doc(), key.type() == ConfigType.PASSWORD, true));
        }
        List<BrokerConfigEntry> frozen = List.copyOf(entries);
        return () -> frozen;
    }
}
