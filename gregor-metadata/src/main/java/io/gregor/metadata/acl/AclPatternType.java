package io.gregor.metadata.acl;

import java.util.Arrays;
import java.util.Optional;

/**
 * How an ACL's resource name matches (KIP-290): LITERAL is the name itself, or every resource of
 * the type when the name is {@code *}; PREFIXED is every resource whose name starts with it.
 * Kafka's wire codes; 0 UNKNOWN, 1 ANY and 2 MATCH are filter-only and not here.
 */
public enum AclPatternType {
    LITERAL((byte) 3),
    PREFIXED((byte) 4);

    private final byte code;

    AclPatternType(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static Optional<AclPatternType> forCode(byte code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }
}
