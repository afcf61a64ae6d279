package io.gregor.broker.api.admin;

import io.gregor.protocol.config.ConfigType;
import java.util.List;
import java.util.Optional;

/**
 * One config of a resource as the describe paths report it, before it is put into a response.
 *
 * @param value empty for sensitive configs and configs without a value
 * @param synonyms every source that sets this config, highest precedence first
 */
record DescribedConfig(
        String name,
        Optional<String> value,
        ConfigSource source,
        boolean readOnly,
        boolean sensitive,
        ConfigType type,
        String documentation,
        List<Synonym> synonyms) {

    record Synonym(String name, Optional<String> value, ConfigSource source) {
    }
}
