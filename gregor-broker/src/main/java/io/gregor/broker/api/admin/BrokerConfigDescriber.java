package io.gregor.broker.api.admin;

import io.gregor.broker.api.admin.DescribedConfig.Synonym;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.ConfigResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Describes this broker's configs: a dynamic override of this broker (DYNAMIC_BROKER_CONFIG), else
 * the cluster-wide dynamic default (DYNAMIC_DEFAULT_BROKER_CONFIG), else server.properties
 * (STATIC_BROKER_CONFIG), else the built-in default (DEFAULT_CONFIG). The resource named "" is the
 * cluster-wide default and lists only the dynamic defaults that are set, as in Kafka.
 */
final class BrokerConfigDescriber {
    private final BrokerConfigView brokerConfig;
    private final int nodeId;

    BrokerConfigDescriber(BrokerConfigView brokerConfig, int nodeId) {
        this.brokerConfig = brokerConfig;
        this.nodeId = nodeId;
    }

    List<DescribedConfig> describe(MetadataImage image, String resourceName, Optional<Collection<String>> keys) {
        Map<String, String> clusterDefaults = image.configs(ConfigResource.clusterDefaultBroker());
        Map<String, String> ownOverrides = resourceName.isEmpty() ? Map.of() : image.configs(ConfigResource.broker(nodeId));
        List<DescribedConfig> configs = new ArrayList<>();
        for (BrokerConfigEntry entry : brokerConfig.entries()) {
            if (keys.isPresent() && !keys.get().contains(entry.name())) {
                continue;
            }
            if (resourceName.isEmpty() && !clusterDefaults.containsKey(entry.name())) {
                continue;
            }
            List<Synonym> synonyms = new ArrayList<>();
            Optional.ofNullable(ownOverrides.get(entry.name())).ifPresent(value ->
                    synonyms.add(new Synonym(entry.name(), Optional.of(value), ConfigSource.DYNAMIC_BROKER_CONFIG)));
            Optional.ofNullable(clusterDefaults.get(entry.name())).ifPresent(value ->
                    synonyms.add(new Synonym(entry.name(), Optional.of(value), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)));
            if (!resourceName.isEmpty()) {
                if (entry.source() == ConfigSource.STATIC_BROKER_CONFIG) {
                    synonyms.add(new Synonym(entry.name(), entry.value(), ConfigSource.STATIC_BROKER_CONFIG));
                }
                entry.defaultValue().ifPresent(value ->
                        synonyms.add(new Synonym(entry.name(), Optional.of(value), ConfigSource.DEFAULT_CONFIG)));
            }
            Optional<String> value = synonyms.isEmpty() ? entry.value() : synonyms.get(0).value();
            ConfigSource source = synonyms.isEmpty() ? entry.source() : synonyms.get(0).source();
            List<Synonym> shown = entry.sensitive()
                    ? synonyms.stream().map(s -> new Synonym(s.name(), Optional.empty(), s.source())).toList()
                    : synonyms;
            configs.add(new DescribedConfig(entry.name(), entry.sensitive() ? Optional.empty() : value, source,
                    entry.readOnly(), entry.sensitive(), entry.type(), entry.documentation(), shown));
        }
        return configs;
    }
}
