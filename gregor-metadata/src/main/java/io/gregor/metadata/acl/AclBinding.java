package io.gregor.metadata.acl;

import java.util.Objects;

/**
 * One ACL: {@code principal} from {@code host} is allowed or denied {@code operation} on the
 * resources {@code resourceName} names under {@code patternType}.
 *
 * @param principal {@code Type:name}, e.g. {@code User:alice}; {@code User:*} is every user
 * @param host the client's IP address, or {@code *} for any
 */
public record AclBinding(AclResourceType resourceType, String resourceName, AclPatternType patternType,
                         String principal, String host, AclOperation operation, AclPermission permission) {
    public static final String WILDCARD = "*";

    public AclBinding {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(resourceName, "resourceName");
        Objects.requireNonNull(patternType, "patternType");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permission, "permission");
    }

    /** Whether this ACL's resource pattern covers the named resource of that type. */
    public boolean covers(AclResourceType type, String name) {
        if (type != resourceType) {
            return false;
        }
        return switch (patternType) {
            case LITERAL -> resourceName.equals(WILDCARD) || resourceName.equals(name);
            case PREFIXED -> name.startsWith(resourceName);
        };
    }

    /** Whether this ACL applies to that principal connecting from that address. */
    public boolean appliesTo(String requestPrincipal, String requestHost) {
        boolean principalMatches = principal.equals(requestPrincipal)
                || (principal.endsWith(":" + WILDCARD)
                    && requestPrincipal.startsWith(principal.substring(0, principal.length() - 1)));
        return principalMatches && (host.equals(WILDCARD) || host.equals(requestHost));
    }
}
