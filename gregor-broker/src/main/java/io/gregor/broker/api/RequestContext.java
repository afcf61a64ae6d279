package io.gregor.broker.api;

import io.gregor.broker.security.Authorizer;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import java.net.InetAddress;

/**
 * What a handler may know about the request it serves beyond its body: the header fields, the
 * connection it came on, who sent it and whether they may do what they ask. Handlers never see
 * Netty.
 *
 * @param principal {@code User:name} of a client that authenticated with SASL, else {@link #ANONYMOUS}
 * @param tokenAuthenticated whether the client authenticated with a delegation token, as its
 *     owner: such a client may not create or manage tokens (KIP-48)
 * @param authorizer what decides {@link #authorized}; {@link Authorizer#ALLOW_ALL} without ACLs
 * @param requestBytes the size of the request's frame, as client quotas measure produce requests
 * @param throttle how the handler throttles the request's connection when a client quota is exceeded
 */
public record RequestContext(
        short apiKey,
        short apiVersion,
        int correlationId,
        String clientId,
        String connectionId,
        InetAddress clientAddress,
        String listenerName,
        String principal,
        boolean tokenAuthenticated,
        Authorizer authorizer,
        int requestBytes,
        ConnectionThrottle throttle) {

    /** The principal of a client that did not authenticate, as Kafka names it. */
    public static final String ANONYMOUS = "User:ANONYMOUS";

    /**
     * A request whose size no one measures and whose connection no one throttles: forwarded and
     * node-internal calls, tests.
     */
    public RequestContext(short apiKey, short apiVersion, int correlationId, String clientId, String connectionId,
                          InetAddress clientAddress, String listenerName, String principal, Authorizer authorizer) {
        this(apiKey, apiVersion, correlationId, clientId, connectionId, clientAddress, listenerName, principal,
                false, authorizer, 0, ConnectionThrottle.NONE);
    }

    /** A request from an anonymous client, served without authorization: tests and node-internal calls. */
    public RequestContext(short apiKey, short apiVersion, int correlationId, String clientId, String connectionId,
                          InetAddress clientAddress, String listenerName) {
        this(apiKey, apiVersion, correlationId, clientId, connectionId, clientAddress, listenerName, ANONYMOUS,
                Authorizer.ALLOW_ALL);
    }

    /** Whether the request's principal, from the request's address, may do {@code operation} on the resource. */
    public boolean authorized(AclOperation operation, AclResourceType type, String name) {
        return authorizer.authorize(principal, clientAddress, operation, type, name);
    }

    /** Whether the principal may do {@code operation} on some resource of the type (KIP-679). */
    public boolean authorizedOnAny(AclOperation operation, AclResourceType type) {
        return authorizer.authorizeAny(principal, clientAddress, operation, type);
    }

    /**
     * Whether the client may create, renew, expire and describe delegation tokens, as Kafka decides
     * it: only when authenticated (SASL or a TLS client certificate), and not with a token.
     */
    public boolean mayManageDelegationTokens() {
        return !tokenAuthenticated && !ANONYMOUS.equals(principal);
    }

    /** The name of the principal without its type ({@code alice} for {@code User:alice}): the user of client quotas. */
    public String userName() {
        int colon = principal.indexOf(':');
        return colon < 0 ? principal : principal.substring(colon + 1);
    }

    /** {@link #authorized} on the cluster resource. */
    public boolean authorizedOnCluster(AclOperation operation) {
        return authorized(operation, AclResourceType.CLUSTER, AclResourceType.CLUSTER_NAME);
    }
}
