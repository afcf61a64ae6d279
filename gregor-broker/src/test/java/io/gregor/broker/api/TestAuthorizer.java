package io.gregor.broker.api;

import io.gregor.broker.security.Authorizer;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import java.net.InetAddress;
import java.util.Set;

/** Allows exactly the listed "OPERATION TYPE name" checks, such as "READ GROUP g", and nothing else. */
public final class TestAuthorizer implements Authorizer {
    private final Set<String> allowed;

    public TestAuthorizer(String... allowed) {
        this.allowed = Set.of(allowed);
    }

    @Override
    public boolean authorize(String principal, InetAddress host, AclOperation operation, AclResourceType type,
                             String name) {
        return allowed.contains(operation + " " + type + " " + name);
    }

    /** Some resource of the type is allowed when one named with that operation and type is. */
    @Override
    public boolean authorizeAny(String principal, InetAddress host, AclOperation operation, AclResourceType type) {
        return allowed.stream().anyMatch(entry -> entry.startsWith(operation + " " + type + " "));
    }

    /** A request from {@code User:alice} checked by this authorizer. */
    public RequestContext context(short apiKey, int version) {
        return new RequestContext(apiKey, (short) version, 1, "client", "c-1", InetAddress.getLoopbackAddress(),
                "SASL_PLAINTEXT", "User:alice", this);
    }
}
