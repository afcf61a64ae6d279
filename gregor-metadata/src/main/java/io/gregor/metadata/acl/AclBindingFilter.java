package io.gregor.metadata.acl;

import java.util.Objects;

/**
 * Selects ACLs as DescribeAcls and DeleteAcls do. A null field (Kafka's ANY, or a null string on
 * the wire) selects every value; any other selects that value exactly, except the resource name,
 * which {@code patternFilter} interprets (see {@link AclPatternFilter}).
 */
public record AclBindingFilter(AclResourceType resourceType, String resourceName, AclPatternFilter patternFilter,
                               String principal, String host, AclOperation operation, AclPermission permission) {
    /** Every ACL. */
    public static final AclBindingFilter ANY = new AclBindingFilter(null, null, AclPatternFilter.ANY, null, null,
            null, null);

    public AclBindingFilter {
        Objects.requireNonNull(patternFilter, "patternFilter");
    }

    public boolean matches(AclBinding acl) {
        return (resourceType == null || resourceType == acl.resourceType())
                && matchesPattern(acl)
                && (principal == null || principal.equals(acl.principal()))
                && (host == null || host.equals(acl.host()))
                && (operation == null || operation == acl.operation())
                && (permission == null || permission == acl.permission());
    }

    private boolean matchesPattern(AclBinding acl) {
        return switch (patternFilter) {
            case ANY -> resourceName == null || resourceName.equals(acl.resourceName());
            case MATCH -> resourceName == null || acl.covers(acl.resourceType(), resourceName);
            case LITERAL -> acl.patternType() == AclPatternType.LITERAL
                    && (resourceName == null || resourceName.equals(acl.resourceName()));
            case PREFIXED -> acl.patternType() == AclPatternType.PREFIXED
                    && (resourceName == null || resourceName.equals(acl.resourceName()));
        };
    }
}
