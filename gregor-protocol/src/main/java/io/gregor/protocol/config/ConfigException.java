package io.gregor.protocol.config;

/** A configuration value is missing or invalid; the message names the key, the value and why. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, Object value, String reason) {
        super("Invalid value " + value + " for configuration " + key + ": " + reason);
        this.key = key;
    }

    private ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    static ConfigException missing(String key) {
        return new ConfigException(key, "Missing required configuration " + key + " which has no default value");
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
