package io.gregor.broker.api.admin;

import io.gregor.protocol.config.ConfigDef;
import java.util.List;

/**
 * What the admin handlers need to know about topic configs beyond their definitions: which broker
 * settings provide each one's default, and the default a topic without an override gets on this
 * broker. The broker assembly adapts the storage layer's LogConfig and the BrokerConfig to it
 * (they own the unit conversions, such as log.retention.hours to retention.ms).
 */
public interface TopicConfigCatalog {
    /** Every topic config, in display order, with type, default, validator and documentation. */
    ConfigDef definitions();

    /** The broker configs that set this topic config's default, most specific first (may be empty). */
    List<String> brokerSynonyms(String topicConfig);

    /** The value a topic without an override has, as derived from the broker's configuration. */
    String effectiveDefault(String topicConfig);
}
