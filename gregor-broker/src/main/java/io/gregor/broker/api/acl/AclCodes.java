package io.gregor.broker.api.acl;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclBindingFilter;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclPatternFilter;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclPermission;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.util.Optional;
import java.util.function.Function;

/**
 * Kafka's wire codes of ACLs and ACL filters to {@code io.gregor.metadata.acl} and back. A code
 * that has no meaning where it is used (UNKNOWN anywhere, ANY or MATCH in an ACL) is an
 * {@link ApiException} of INVALID_REQUEST naming the field and the code.
 */
final class AclCodes {
    /** Kafka's ANY of resource types, operations and permissions: every value, in a filter. */
    private static final byte ANY = 1;

    private AclCodes() {
    }

    static AclBinding binding(byte resourceType, String resourceName, byte patternType, String principal,
                              String host, byte operation, byte permission) {
        return new AclBinding(
                known(resourceType, AclResourceType::forCode, "resource type"),
                resourceName,
                known(patternType, AclPatternType::forCode, "pattern type"),
                principal,
                host,
                known(operation, AclOperation::forCode, "operation"),
                known(permission, AclPermission::forCode, "permission type"));
    }

    static AclBindingFilter filter(byte resourceType, String resourceName, byte patternType, String principal,
                                   String host, byte operation, byte permission) {
        return new AclBindingFilter(
                resourceType == ANY ? null : known(resourceType, AclResourceType::forCode, "resource type"),
                resourceName,
                known(patternType, AclPatternFilter::forCode, "pattern type"),
                principal,
                host,
                operation == ANY ? null : known(operation, AclOperation::forCode, "operation"),
                permission == ANY ? null : known(permission, AclPermission::forCode, "permission type"));
    }

    private static <T> T known(byte code, Function<Byte, Optional<T>> forCode, String field) {
        return forCode.apply(code).orElseThrow(() -> new ApiException(Errors.INVALID_REQUEST,
                "Invalid ACL " + field + " code " + code));
    }
}
