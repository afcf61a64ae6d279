package io.gregor.broker.api.admin;

import io.gregor.broker.api.admin.DescribedConfig.Synonym;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.protocol.config.ConfigKey;
import io.gregor.protocol.config.ConfigType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Describes the configs of a topic: its overrides (DYNAMIC_TOPIC_CONFIG), else the broker's
 * setting of a synonym: a dynamic one of this broker (DYNAMIC_BROKER_CONFIG), the cluster-wide
 * dynamic default (DYNAMIC_DEFAULT_BROKER_CONFIG), server.properties (STATIC_BROKER_CONFIG), else
 * the default (DEFAULT_CONFIG). The synonym list follows the same precedence, source by source and
 * within a source in the synonyms' order, as Kafka's does; the value is the one the topic's log
 * runs with.
 */
final class TopicConfigDescriber {
    private final TopicConfigCatalog catalog;
    private final BrokerConfigView brokerConfig;

    TopicConfigDescriber(TopicConfigCatalog catalog, BrokerConfigView brokerConfig) {
        this.catalog = catalog;
        this.brokerConfig = brokerConfig;
    }

    /** @param keys the configs asked for, or empty for all of them */
    List<DescribedConfig> describe(MetadataImage image, Map<String, String> overrides,
                                   Optional<Collection<String>> keys) {
        BrokerSettings broker = new BrokerSettings(catalog.ownDynamicConfigs(image),
                image.configs(ConfigResource.clusterDefaultBroker()), catalog.effectiveDefaults(image));
        List<DescribedConfig> configs = new ArrayList<>();
        for (ConfigKey key : catalog.definitions().keys().values()) {
            if (keys.isPresent() && !keys.get().contains(key.name())) {
                continue;
            }
            configs.add(describe(key, Optional.ofNullable(overrides.get(key.name())), broker));
        }
        return configs;
    }

    /** What the broker contributes to a topic's configs in one image. */
    private record BrokerSettings(Map<String, String> own, Map<String, String> clusterDefault,
                                  Map<String, String> effectiveDefaults) {
    }

    private DescribedConfig describe(ConfigKey key, Optional<String> override, BrokerSettings broker) {
        List<Synonym> synonyms = new ArrayList<>();
        override.ifPresent(value -> synonyms.add(new Synonym(key.name(), Optional.of(value),
                ConfigSource.DYNAMIC_TOPIC_CONFIG)));
        List<String> brokerKeys = catalog.brokerSynonyms(key.name());
        addDynamic(synonyms, brokerKeys, broker.own(), ConfigSource.DYNAMIC_BROKER_CONFIG);
        addDynamic(synonyms, brokerKeys, broker.clusterDefault(), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        for (String brokerKey : brokerKeys) {
            Optional<BrokerConfigEntry> entry = brokerConfig.entry(brokerKey);
            if (entry.isPresent() && entry.get().source() == ConfigSource.STATIC_BROKER_CONFIG) {
                synonyms.add(new Synonym(brokerKey, entry.get().value(), ConfigSource.STATIC_BROKER_CONFIG));
            }
        }
        synonyms.add(defaultSynonym(key));
        ConfigSource source = synonyms.get(0).source();
        Optional<String> value = override.or(() ->
                Optional.of(broker.effectiveDefaults().getOrDefault(key.name(), "")));
        boolean sensitive = key.type() == ConfigType.PASSWORD;
        return new DescribedConfig(key.name(), sensitive ? Optional.empty() : value, source, false, sensitive,
                key.type(), key.documentation(), sensitive ? hideValues(synonyms) : synonyms);
    }

    private static void addDynamic(List<Synonym> synonyms, List<String> brokerKeys, Map<String, String> dynamic,
                                   ConfigSource source) {
        for (String brokerKey : brokerKeys) {
            String value = dynamic.get(brokerKey);
            if (value != null) {
                synonyms.add(new Synonym(brokerKey, Optional.of(value), source));
            }
        }
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
