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
    Authorizer ALLOW_ALL = (principal, host, operation, type, name) -> true;

    /**
     * @param principal {@code User:name}, or {@code User:ANONYMOUS} for a client that did not authenticate
     * @param host the client's address
     */
    boolean authorize(String principal, InetAddress host, AclOperation operation, AclResourceType type, String name);
}
