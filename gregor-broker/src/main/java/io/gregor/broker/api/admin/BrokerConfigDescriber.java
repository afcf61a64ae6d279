package io.gregor.broker.api.admin;

import io.gregor.broker.api.admin.DescribedConfig.Synonym;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.ConfigResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Describes this broker's configs: a dynamic override of this broker (DYNAMIC_BROKER_CONFIG), else
 * the cluster-wide dynamic default (DYNAMIC_DEFAULT_BROKER_CONFIG), else server.properties
 * (STATIC_BROKER_CONFIG), else the built-in default (DEFAULT_CONFIG). The resource named "" is the
 * cluster-wide default and lists only the dynamic defaults that are set, as in Kafka. A listener's
 * own dynamic settings ({@code listener.name.L.ssl.keystore.location}...) follow, passwords hidden.
 */
final class BrokerConfigDescriber {
    private static final Pattern LISTENER_SETTING = Pattern.compile("listener\\.name\\.[A-Za-z0-9_]+\\.(.+)");

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
        ownOverrides.forEach((name, value) -> listenerSetting(name)
                .filter(setting -> keys.isEmpty() || keys.get().contains(name))
                .ifPresent(setting -> configs.add(describeListenerSetting(name, value, setting))));
        return configs;
    }

    /** A listener's dynamic setting, typed and documented as the setting it is the listener's own of. */
    private static DescribedConfig describeListenerSetting(String name, String value, BrokerConfigEntry setting) {
        Optional<String> shown = setting.sensitive() ? Optional.empty() : Optional.of(value);
        return new DescribedConfig(name, shown, ConfigSource.DYNAMIC_BROKER_CONFIG, false, setting.sensitive(),
                setting.type(), setting.documentation(),
                List.of(new Synonym(name, shown, ConfigSource.DYNAMIC_BROKER_CONFIG)));
    }

    private Optional<BrokerConfigEntry> listenerSetting(String name) {
        Matcher matcher = LISTENER_SETTING.matcher(name);
        return matcher.matches() ? brokerConfig.entry(matcher.group(1)) : Optional.empty();
    }
}
