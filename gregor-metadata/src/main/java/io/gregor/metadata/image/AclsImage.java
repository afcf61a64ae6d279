package io.gregor.metadata.image;

import io.gregor.metadata.acl.AclBinding;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.UUID;

/**
 * The ACLs of a metadata image, by the id their record gave them, in the order they were created.
 * Immutable. {@link MetadataDelta} hands the same instance to every image until an ACL record
 * changes it, so {@link #bindings} is the same collection too, and whoever indexes the ACLs (the
 * authorizer) does so once per change of them rather than once per image.
 */
public final class AclsImage {
    public static final AclsImage EMPTY = new AclsImage(Map.of());

    private final Map<UUID, AclBinding> byId;
    private final Collection<AclBinding> bindings;

    public AclsImage(Map<UUID, AclBinding> byId) {
        this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
        // A set: the controller asks whether a binding exists for each ACL it is asked to create.
        this.bindings = Collections.unmodifiableSet(new LinkedHashSet<>(byId.values()));
    }

    public Map<UUID, AclBinding> byId() {
        return byId;
    }

    /** Every ACL, without ids; the same instance for the life of this object. */
    public Collection<AclBinding> bindings() {
        return bindings;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AclsImage that && byId.equals(that.byId);
    }

    @Override
    public int hashCode() {
        return byId.hashCode();
    }

    @Override
    public String toString() {
        return "AclsImage" + byId;
    }
}
