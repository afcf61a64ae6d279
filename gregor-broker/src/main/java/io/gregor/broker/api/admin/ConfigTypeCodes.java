package io.gregor.broker.api.admin;

import io.gregor.protocol.config.ConfigType;

/** The codes of DescribeConfigs' config_type field. */
final class ConfigTypeCodes {
    private ConfigTypeCodes() {
    }

    static byte code(ConfigType type) {
        return switch (type) {
            case BOOLEAN -> 1;
            case STRING -> 2;
            case INT -> 3;
            case LONG -> 5;
            case DOUBLE -> 6;
            case LIST -> 7;
            case CLASS -> 8;
            case PASSWORD -> 9;
        };
    }
}
