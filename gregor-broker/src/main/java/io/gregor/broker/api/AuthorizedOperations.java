package io.gregor.broker.api;

import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a request's principal may do on a resource, as the bit set Kafka's describe APIs return
 * when asked (KIP-430): bit {@code 1 << code} for each operation of the resource's type that is
 * allowed. Tools use it to show what a user may do before it tries.
 */
public final class AuthorizedOperations {
    /** Kafka's value when the client did not ask. */
    public static final int NOT_ASKED = Integer.MIN_VALUE;

    /** The operations that mean something for each resource type, as Kafka lists them. */
    private static final Map<AclResourceType, List<AclOperation>> OF_TYPE = new EnumMap<>(Map.of(
            AclResourceType.TOPIC, List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                    AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS),
            AclResourceType.GROUP, List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE),
            AclResourceType.CLUSTER, List.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE,
                    AclOperation.ALTER, AclOperation.DESCRIBE),
            AclResourceType.TRANSACTIONAL_ID, List.of(AclOperation.DESCRIBE, AclOperation.WRITE)));

    private AuthorizedOperations() {
    }

    /** The bit set of the operations the context's principal may do on the named topic, group or transactional id. */
    public static int of(RequestContext context, AclResourceType type, String name) {
        int allowed = 0;
        for (AclOperation operation : OF_TYPE.getOrDefault(type, List.of())) {
            if (context.authorized(operation, type, name)) {
                allowed |= 1 << operation.code();
            }
        }
        return allowed;
    }

    /** The bit set for the cluster resource. */
    public static int ofCluster(RequestContext context) {
        return of(context, AclResourceType.CLUSTER, AclResourceType.CLUSTER_NAME);
    }
}
