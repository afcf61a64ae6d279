package io.gregor.metadata.record;

import io.gregor.metadata.acl.AclBinding;
import java.util.Objects;
import java.util.UUID;

/**
 * An ACL was created. The id names it for its removal: two ACLs never share a binding, but a
 * removal by id stays exact whatever the binding's fields become in later record versions.
 */
public record AccessControlEntryRecord(UUID id, AclBinding binding) implements MetadataRecord {
    public AccessControlEntryRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(binding, "binding");
    }
}
