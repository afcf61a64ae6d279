package io.gregor.metadata.record;

import java.util.Objects;

/** The finalized level of a feature (such as metadata.version); level 0 removes the feature. */
public record FeatureLevelRecord(String name, short level) implements MetadataRecord {
    public FeatureLevelRecord {
        Objects.requireNonNull(name, "name");
    }
}
