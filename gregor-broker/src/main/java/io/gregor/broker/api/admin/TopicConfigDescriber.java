package io.gregor.broker.api.admin;

import io.gregor.broker.api.admin.DescribedConfig.Synonym;
import io.gregor.protocol.config.ConfigKey;
import io.gregor.protocol.config.ConfigType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Describes the configs of a topic: its overrides (DYNAMIC_TOPIC_CONFIG), else the broker's
 * setting of a synonym (STATIC_BROKER_CONFIG), else the default (DEFAULT_CONFIG). The synonym
 * list follows the same precedence, as Kafka's does.
 */
final class TopicConfigDescriber {
    private final TopicConfigCatalog catalog;
    private final BrokerConfigView brokerConfig;

    TopicConfigDescriber(TopicConfigCatalog catalog, BrokerConfigView brokerConfig) {
        this.catalog = catalog;
        this.brokerConfig = brokerConfig;
    }

    /** @param keys the configs asked for, or empty for all of them */
    List<DescribedConfig> describe(Map<String, String> overrides, Optional<Collection<String>> keys) {
        List<DescribedConfig> configs = new ArrayList<>();
        for (ConfigKey key : catalog.definitions().keys().values()) {
            if (keys.isPresent() && !keys.get().contains(key.name())) {
                continue;
            }
            configs.add(describe(key, Optional.ofNullable(overrides.get(key.name()))));
        }
        return configs;
    }

    private DescribedConfig describe(ConfigKey key, Optional<String> override) {
        List<Synonym> synonyms = new ArrayList<>();
        override.ifPresent(value -> synonyms.add(new Synonym(key.name(), Optional.of(value),
                ConfigSource.DYNAMIC_TOPIC_CONFIG)));
        boolean setOnBroker = false;
        for (String brokerKey : catalog.brokerSynonyms(key.name())) {
            Optional<BrokerConfigEntry> entry = brokerConfig.entry(brokerKey);
            if (entry.isPresent() && entry.get().source() == ConfigSource.STATIC_BROKER_CONFIG) {
                synonyms.add(new Synonym(brokerKey, entry.get().value(), ConfigSource.STATIC_BROKER_CONFIG));
                setOnBroker = true;
            }
        }
        synonyms.add(defaultSynonym(key));
        ConfigSource source = override.isPresent() ? ConfigSource.DYNAMIC_TOPIC_CONFIG
                : setOnBroker ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
        Optional<String> value = override.or(() -> Optional.of(catalog.effectiveDefault(key.name())));
        boolean sensitive = key.type() == ConfigType.PASSWORD;
        return new DescribedConfig(key.name(), sensitive ? Optional.empty() : value, source, false, sensitive,
                key.type(), key.documentation(), sensitive ? hideValues(synonyms) : synonyms);
    }

    /** The default is reported under the broker setting that carries it, as Kafka reports log.retention.hours. */
    private Synonym defaultSynonym(ConfigKey key) {
        for (String brokerKey : catalog.brokerSynonyms(key.name())) {
            Optional<BrokerConfigEntry> entry = brokerConfig.entry(brokerKey);
            if (entry.isPresent() && entry.get().defaultValue().isPresent()) {
                return new Synonym(brokerKey, entry.get().defaultValue(), ConfigSource.DEFAULT_CONFIG);
            }
        }
        return new Synonym(key.name(), key.defaultValue().map(TopicConfigDescriber::render), ConfigSource.DEFAULT_CONFIG);
    }

    static String render(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(Object::toString).toList());
        }
        return value.toString();
    }

    private static List<Synonym> hideValues(List<Synonym> synonyms) {
        return synonyms.stream().map(s -> new Synonym(s.name(), Optional.empty(), s.source())).toList();
    }
}
