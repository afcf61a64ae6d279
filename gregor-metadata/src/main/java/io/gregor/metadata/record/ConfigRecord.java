package io.gregor.metadata.record;

import java.util.Objects;
import java.util.Optional;

/** A config of a resource was set to a value, or removed (empty value) so the default applies. */
public record ConfigRecord(ConfigResource resource, String key, Optional<String> value) implements MetadataRecord {
    public ConfigRecord {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
