package io.gregor.broker.config;

/**
 * A configuration that cannot be used. The message is one line naming the key and the
 * offending value, fit to show to an operator as it is.
 */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String value, String reason) {
        super("Invalid value '" + value + "' for configuration " + key + ": " + reason);
        this.key = key;
    }

    /** A problem that concerns a key as a whole rather than one value (e.g. two keys that disagree). */
    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
