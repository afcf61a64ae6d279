package io.gregor.broker.security;

import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import java.net.InetAddress;

/**
 * Decides whether a request's principal may do an operation on a resource. Thread-safe: network,
 * I/O and coordinator threads ask at once.
 */
@FunctionalInterface
public interface Authorizer {
    /** No authorizer configured ({@code authorizer.class.name} empty): everyone may do everything. */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean authorize(String principal, InetAddress host, AclOperation operation, AclResourceType type,
                                 String name) {
            return true;
        }

        @Override
        public boolean authorizeAny(String principal, InetAddress host, AclOperation operation,
                                    AclResourceType type) {
            return true;
        }
    };

    /**
     * @param principal {@code User:name}, or {@code User:ANONYMOUS} for a client that did not authenticate
     * @param host the client's address
     */
    boolean authorize(String principal, InetAddress host, AclOperation operation, AclResourceType type, String name);

    /**
     * Whether the principal may do the operation on at least one resource of the type, existing or
     * not (KIP-679: an idempotent producer needs WRITE on some topic). An authorizer that cannot
     * tell says no.
     */
    default boolean authorizeAny(String principal, InetAddress host, AclOperation operation, AclResourceType type) {
        return false;
    }
}
