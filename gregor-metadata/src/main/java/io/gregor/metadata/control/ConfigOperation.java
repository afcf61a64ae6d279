package io.gregor.metadata.control;

import java.util.Objects;
import java.util.Optional;

/**
 * One change of IncrementalAlterConfigs.
 *
 * @param value the value to set, or the list items to append or subtract; unused by DELETE
 */
public record ConfigOperation(String key, Type type, Optional<String> value) {
    /** The operations with their wire codes. APPEND and SUBTRACT apply to list-typed configs only. */
    public enum Type {
        SET((byte) 0), DELETE((byte) 1), APPEND((byte) 2), SUBTRACT((byte) 3);

        private final byte code;

        Type(byte code) {
            this.code = code;
        }

        public byte code() {
            return code;
        }

        public static Optional<Type> forCode(byte code) {
            for (Type type : values()) {
                if (type.code == code) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    public ConfigOperation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    public static ConfigOperation set(String key, String value) {
        return new ConfigOperation(key, Type.SET, Optional.of(value));
    }

    public static ConfigOperation delete(String key) {
        return new ConfigOperation(key, Type.DELETE, Optional.empty());
    }
}
