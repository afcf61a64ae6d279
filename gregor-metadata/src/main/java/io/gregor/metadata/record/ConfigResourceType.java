package io.gregor.metadata.record;

import java.util.Optional;

/** The kinds of resource that carry configs, with the codes Kafka's config APIs use on the wire. */
public enum ConfigResourceType {
    TOPIC((byte) 2),
    BROKER((byte) 4);

    private final byte code;

    ConfigResourceType(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static Optional<ConfigResourceType> forCode(byte code) {
        for (ConfigResourceType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
