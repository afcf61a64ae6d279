package io.gregor.metadata.acl;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which resource patterns a filter selects (KIP-290), with Kafka's wire codes: ANY selects ACLs
 * of either pattern type named exactly as the filter; MATCH selects the ACLs that apply to the
 * resource the filter names; LITERAL and PREFIXED select ACLs of that pattern type named exactly
 * as the filter. 0 UNKNOWN is not here.
 */
public enum AclPatternFilter {
    ANY((byte) 1),
    MATCH((byte) 2),
    LITERAL((byte) 3),
    PREFIXED((byte) 4);

    private final byte code;

    AclPatternFilter(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static Optional<AclPatternFilter> forCode(byte code) {
        return Arrays.stream(values()).filter(f -> f.code == code).findFirst();
    }
}
