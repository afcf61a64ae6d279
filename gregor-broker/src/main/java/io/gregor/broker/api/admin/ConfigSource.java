package io.gregor.broker.api.admin;

/** Where a config value comes from, with the codes of DescribeConfigs' config_source fields. */
public enum ConfigSource {
    UNKNOWN((byte) 0),
    DYNAMIC_TOPIC_CONFIG((byte) 1),
    DYNAMIC_BROKER_CONFIG((byte) 2),
    DYNAMIC_DEFAULT_BROKER_CONFIG((byte) 3),
    STATIC_BROKER_CONFIG((byte) 4),
    DEFAULT_CONFIG((byte) 5);

    private final byte code;

    ConfigSource(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }
}
