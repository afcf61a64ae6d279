package io.gregor.metadata.acl;

import java.util.Arrays;
import java.util.Optional;

/** Whether an ACL allows or denies, with Kafka's wire codes (0 UNKNOWN and 1 ANY are filter-only and not here). */
public enum AclPermission {
    DENY((byte) 2),
    ALLOW((byte) 3);

    private final byte code;

    AclPermission(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static Optional<AclPermission> forCode(byte code) {
        return Arrays.stream(values()).filter(p -> p.code == code).findFirst();
    }
}
