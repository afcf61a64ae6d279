package io.gregor.metadata.record;

import java.util.Objects;
import java.util.UUID;

/** The ACL that {@link AccessControlEntryRecord} created with this id was deleted. */
public record RemoveAccessControlEntryRecord(UUID id) implements MetadataRecord {
    public RemoveAccessControlEntryRecord {
        Objects.requireNonNull(id, "id");
    }
}
