package io.gregor.metadata.control;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclBindingFilter;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.AccessControlEntryRecord;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.RemoveAccessControlEntryRecord;
import io.gregor.protocol.error.Errors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Decides creations and deletions of ACLs (KIP-11, KIP-140) against an image. Each ACL and each
 * filter succeeds or fails on its own, as in Kafka. Pure, like {@link ConfigControl}, but for the
 * random ids of new ACLs.
 */
final class AclControl {
    /** Kafka's principal form {@code Type:name}: neither part empty. */
    private static final Pattern PRINCIPAL = Pattern.compile("[^:]+:.+");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /**
     * One outcome per ACL, in order. An ACL that exists already (or earlier in the same request)
     * succeeds without a record: creating is idempotent, so a retried request does no harm.
     */
    ControllerResult<List<ApiError>> createAcls(MetadataImage image, List<AclBinding> acls) {
        Set<AclBinding> existing = new HashSet<>(image.acls());
        Set<UUID> ids = new HashSet<>(image.aclsImage().byId().keySet());
        List<MetadataRecord> records = new ArrayList<>();
        List<ApiError> results = new ArrayList<>();
        for (AclBinding acl : acls) {
            Optional<String> invalidity = invalidity(acl);
            if (invalidity.isPresent()) {
                results.add(ApiError.of(Errors.INVALID_REQUEST, invalidity.get()));
                continue;
            }
            if (existing.add(acl)) {
                records.add(new AccessControlEntryRecord(newId(ids), acl));
            }
            results.add(ApiError.NONE);
        }
        return new ControllerResult<>(records, results);
    }

    /**
     * Per filter, the ACLs it deleted, in creation order. An ACL that several filters of the
     * request match is deleted once, and reported under the first of them.
     */
    ControllerResult<List<List<AclBinding>>> deleteAcls(MetadataImage image, List<AclBindingFilter> filters) {
        Set<UUID> deleted = new HashSet<>();
        List<MetadataRecord> records = new ArrayList<>();
        List<List<AclBinding>> results = new ArrayList<>();
        for (AclBindingFilter filter : filters) {
            List<AclBinding> matched = new ArrayList<>();
            for (Map.Entry<UUID, AclBinding> acl : image.aclsImage().byId().entrySet()) {
                if (filter.matches(acl.getValue()) && deleted.add(acl.getKey())) {
                    records.add(new RemoveAccessControlEntryRecord(acl.getKey()));
                    matched.add(acl.getValue());
                }
            }
            results.add(List.copyOf(matched));
        }
        return new ControllerResult<>(records, results);
    }

    /** What makes the ACL one Kafka would refuse to create, if anything. */
    private static Optional<String> invalidity(AclBinding acl) {
        if (acl.resourceName().isEmpty()) {
            return Optional.of("The resource name of an ACL must not be empty");
        }
        if (acl.resourceType() == AclResourceType.CLUSTER && !acl.resourceName().equals(AclResourceType.CLUSTER_NAME)) {
            return Optional.of("The only valid name for the CLUSTER resource is " + AclResourceType.CLUSTER_NAME
                    + ", not '" + acl.resourceName() + "'");
        }
        if (acl.patternType() == AclPatternType.PREFIXED && acl.resourceName().equals(AclBinding.WILDCARD)) {
            return Optional.of("A PREFIXED ACL cannot be named '*': a LITERAL '*' is the ACL for every "
                    + acl.resourceType());
        }
        if (!PRINCIPAL.matcher(acl.principal()).matches()) {
            return Optional.of("Invalid principal '" + acl.principal()
                    + "': expected the form Type:name, such as User:alice or User:*");
        }
        if (!isHost(acl.host())) {
            return Optional.of("Invalid host '" + acl.host() + "': expected * or an IP address");
        }
        return Optional.empty();
    }

    /** {@code *} or an IPv4 or IPv6 address; never a host name, which would need a DNS lookup to compare. */
    private static boolean isHost(String host) {
        if (host.equals(AclBinding.WILDCARD) || IPV4.matcher(host).matches()) {
            return true;
        }
        if (!IPV6.matcher(host).matches()) {
            return false;
        }
        try {
            // A literal with a colon is parsed as an IPv6 address, never looked up.
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static UUID newId(Set<UUID> taken) {
        UUID id = UUID.randomUUID();
        while (!taken.add(id)) {
            id = UUID.randomUUID();
        }
        return id;
    }
}
