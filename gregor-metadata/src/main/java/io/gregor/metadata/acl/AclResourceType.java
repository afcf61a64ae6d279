package io.gregor.metadata.acl;

import java.util.Arrays;
import java.util.Optional;

/** What an ACL protects, with Kafka's wire codes (0 UNKNOWN and 1 ANY are filter-only and not here). */
public enum AclResourceType {
    TOPIC((byte) 2),
    GROUP((byte) 3),
    CLUSTER((byte) 4),
    TRANSACTIONAL_ID((byte) 5),
    DELEGATION_TOKEN((byte) 6),
    USER((byte) 7);

    /** The name of the one cluster resource, as Kafka's clients send it. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    private final byte code;

    AclResourceType(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static Optional<AclResourceType> forCode(byte code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }
}
