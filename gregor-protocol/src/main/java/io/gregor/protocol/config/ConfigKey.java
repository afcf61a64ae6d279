package io.gregor.protocol.config;

import java.util.Optional;

/**
 * One configuration definition. {@code defaultValue} is already parsed to the key's type;
 * empty means the key is required.
 */
public record ConfigKey(String name, ConfigType type, Optional<Object> defaultValue, Validator validator,
                        Importance importance, String documentation) {
}
