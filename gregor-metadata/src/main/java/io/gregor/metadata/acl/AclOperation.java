package io.gregor.metadata.acl;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** What an ACL allows or denies, with Kafka's wire codes (0 UNKNOWN and 1 ANY are filter-only and not here). */
public enum AclOperation {
    ALL((byte) 2),
    READ((byte) 3),
    WRITE((byte) 4),
    CREATE((byte) 5),
    DELETE((byte) 6),
    ALTER((byte) 7),
    DESCRIBE((byte) 8),
    CLUSTER_ACTION((byte) 9),
    DESCRIBE_CONFIGS((byte) 10),
    ALTER_CONFIGS((byte) 11),
    IDEMPOTENT_WRITE((byte) 12),
    CREATE_TOKENS((byte) 13),
    DESCRIBE_TOKENS((byte) 14);

    private final byte code;

    AclOperation(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static Optional<AclOperation> forCode(byte code) {
        return Arrays.stream(values()).filter(o -> o.code == code).findFirst();
    }

    /**
     * The operations an ALLOW of this one also allows, as Kafka documents: ALL allows everything;
     * READ, WRITE, DELETE and ALTER allow DESCRIBE; ALTER_CONFIGS allows DESCRIBE_CONFIGS. A DENY
     * denies only its own operation (and ALL every operation).
     */
    public boolean allowImplies(AclOperation wanted) {
        if (this == wanted || this == ALL) {
            return true;
        }
        return switch (wanted) {
            case DESCRIBE -> Set.of(READ, WRITE, DELETE, ALTER).contains(this);
            case DESCRIBE_CONFIGS -> this == ALTER_CONFIGS;
            default -> false;
        };
    }
}
