package io.gregor.broker.api.admin;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.protocol.config.ConfigDef;
import java.util.List;
import java.util.Map;

/**
 * What the admin handlers need to know about topic configs beyond their definitions: which broker
 * settings provide each one's default, and the default a topic without an override gets on this
 * broker. The broker assembly adapts the storage layer's LogConfig and the DynamicBrokerConfig to it
 * (they own the unit conversions, such as log.retention.hours to retention.ms).
 */
public interface TopicConfigCatalog {
    /** Every topic config, in display order, with type, default, validator and documentation. */
    ConfigDef definitions();

    /** The broker configs that set this topic config's default, most specific first (may be empty). */
    List<String> brokerSynonyms(String topicConfig);

    /**
     * The value of every topic config a topic without overrides has, as derived from the broker's
     * configuration with the image's dynamic broker configs laid over it.
     */
    Map<String, String> effectiveDefaults(MetadataImage image);

    /** This broker's own dynamic broker configs in the image ({@code BROKER "id"}). */
    Map<String, String> ownDynamicConfigs(MetadataImage image);
}
