package io.gregor.broker.security;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclPermission;
import io.gregor.metadata.acl.AclResourceType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ACL authorizer, with the rules of Kafka's StandardAuthorizer (KIP-11, KIP-801): a super user
 * may do everything; otherwise a DENY that applies wins, then an ALLOW that applies (or implies the
 * operation, see {@link AclOperation#allowImplies}) allows; a resource no ACL covers at all is
 * allowed only with {@code allow.everyone.if.no.acl.found}.
 *
 * <p>The ACLs come from the metadata image current at each decision; they are indexed by
 * resource type once per change of the image's ACLs (the supplier hands out the same collection
 * until they change).
 */
public final class AclAuthorizer implements Authorizer {
    private final Supplier<Collection<AclBinding>> acls;
    private final Set<String> superUsers;
    private final boolean allowIfNoAclFound;
    private volatile Index index = new Index(List.of());

    public AclAuthorizer(Supplier<Collection<AclBinding>> acls, Set<String> superUsers, boolean allowIfNoAclFound) {
        this.acls = acls;
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAclFound = allowIfNoAclFound;
    }

    @Override
    public boolean authorize(String principal, InetAddress host, AclOperation operation, AclResourceType type,
                             String name) {
        if (superUsers.contains(principal)) {
            return true;
        }
        String hostAddress = host.getHostAddress();
        boolean covered = false;
        boolean allowed = false;
        for (AclBinding acl : current().covering(type, name)) {
            covered = true;
            if (!acl.appliesTo(principal, hostAddress)) {
                continue;
            }
            if (acl.permission() == AclPermission.DENY) {
                if (acl.operation() == operation || acl.operation() == AclOperation.ALL) {
                    return false;
                }
            } else if (acl.operation().allowImplies(operation)) {
                allowed = true;
            }
        }
        return allowed || (!covered && allowIfNoAclFound);
    }

    /**
     * Kafka's rules for "some resource of the type" (KIP-679): a super user may; a DENY on every
     * resource of the type ({@code *}) forbids; otherwise an ALLOW of the operation on some name
     * or prefix allows, unless a DENY covers all it allows; with no ACL for the type at all,
     * {@code allow.everyone.if.no.acl.found} decides.
     */
    @Override
    public boolean authorizeAny(String principal, InetAddress host, AclOperation operation, AclResourceType type) {
        if (superUsers.contains(principal)) {
            return true;
        }
        String hostAddress = host.getHostAddress();
        List<AclBinding> ofType = current().ofType(type);
        List<AclBinding> denies = new ArrayList<>();
        for (AclBinding acl : ofType) {
            if (acl.permission() == AclPermission.DENY && acl.appliesTo(principal, hostAddress)
                    && (acl.operation() == operation || acl.operation() == AclOperation.ALL)) {
                if (acl.patternType() == AclPatternType.LITERAL && acl.resourceName().equals(AclBinding.WILDCARD)) {
                    return false;
                }
                denies.add(acl);
            }
        }
        for (AclBinding acl : ofType) {
            if (acl.permission() == AclPermission.ALLOW && acl.appliesTo(principal, hostAddress)
                    && acl.operation().allowImplies(operation) && !coveredByDeny(acl, denies)) {
                return true;
            }
        }
        return ofType.isEmpty() && allowIfNoAclFound;
    }

    /** Whether the denies forbid everything the allow allows: the same name, or a prefix of it. */
    private static boolean coveredByDeny(AclBinding allow, List<AclBinding> denies) {
        for (AclBinding deny : denies) {
            boolean samePattern = deny.patternType() == allow.patternType()
                    && deny.resourceName().equals(allow.resourceName());
            boolean widerPrefix = deny.patternType() == AclPatternType.PREFIXED
                    && allow.resourceName().startsWith(deny.resourceName());
            if (samePattern || widerPrefix) {
                return true;
            }
        }
        return false;
    }

    private Index current() {
        Collection<AclBinding> now = acls.get();
        Index known = index;
        if (known.source != now) {
            known = new Index(now);
            index = known;
        }
        return known;
    }

    /**
     * The ACLs of one version of the metadata, by resource type, and within a type by literal name,
     * so that a decision reads the ACLs of its resource, the wildcard ones and the prefixed ones, not
     * every ACL (a Metadata request for all topics asks once per topic).
     */
    private static final class Index {
        private final Collection<AclBinding> source;
        private final Map<AclResourceType, List<AclBinding>> byType = new EnumMap<>(AclResourceType.class);
        private final Map<AclResourceType, Map<String, List<AclBinding>>> literalByName =
                new EnumMap<>(AclResourceType.class);
        /** Per type, the ACLs for every resource ({@code *}) and the PREFIXED ones. */
        private final Map<AclResourceType, List<AclBinding>> wildcardAndPrefixed = new EnumMap<>(AclResourceType.class);

        Index(Collection<AclBinding> source) {
            this.source = source;
            for (AclBinding acl : source) {
                byType.computeIfAbsent(acl.resourceType(), t -> new ArrayList<>()).add(acl);
                if (acl.patternType() == AclPatternType.LITERAL && !acl.resourceName().equals(AclBinding.WILDCARD)) {
                    literalByName.computeIfAbsent(acl.resourceType(), t -> new HashMap<>())
                            .computeIfAbsent(acl.resourceName(), n -> new ArrayList<>()).add(acl);
                } else {
                    wildcardAndPrefixed.computeIfAbsent(acl.resourceType(), t -> new ArrayList<>()).add(acl);
                }
            }
        }

        List<AclBinding> ofType(AclResourceType type) {
            return byType.getOrDefault(type, List.of());
        }

        /** The ACLs whose pattern covers the named resource. */
        List<AclBinding> covering(AclResourceType type, String name) {
            List<AclBinding> literal = literalByName.getOrDefault(type, Map.of()).getOrDefault(name, List.of());
            List<AclBinding> others = wildcardAndPrefixed.getOrDefault(type, List.of());
            if (others.isEmpty()) {
                return literal;
            }
            List<AclBinding> covering = new ArrayList<>(literal);
            for (AclBinding acl : others) {
                if (acl.covers(type, name)) {
                    covering.add(acl);
                }
            }
            return covering;
        }
    }
}
