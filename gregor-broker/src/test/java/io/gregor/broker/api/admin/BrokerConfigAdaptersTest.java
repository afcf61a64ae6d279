package io.gregor.broker.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.config.BrokerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigAdaptersTest {
    private final BrokerConfig config = BrokerConfig.parse(Map.of("log.retention.hours", "1"));

    @Test
    void topicDefaultsFollowTheBrokersSettingsInTheTopicsUnit() {
        TopicConfigCatalog catalog = BrokerConfigAdapters.topicCatalog(config);

        assertThat(catalog.effectiveDefault("retention.ms")).isEqualTo("3600000");
        assertThat(catalog.effectiveDefault("segment.bytes")).isEqualTo("1073741824");
        assertThat(catalog.brokerSynonyms("retention.ms")).contains("log.retention.hours");
        assertThat(catalog.definitions().key("cleanup.policy")).isPresent();
    }

    @Test
    void brokerEntriesTellSetValuesFromDefaults() {
        BrokerConfigView view = BrokerConfigAdapters.brokerView(config);

        assertThat(view.entry("log.retention.hours").orElseThrow().source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(view.entry("log.retention.hours").orElseThrow().value()).contains("1");
        assertThat(view.entry("num.partitions").orElseThrow().source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(view.entry("num.partitions").orElseThrow().value()).contains("1");
        assertThat(view.entry("auto.create.topics.enable").orElseThrow().value()).contains("true");
    }
}
