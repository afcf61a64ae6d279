package io.gregor.protocol.config;

/** The type a configuration value is parsed into; see {@link ConfigDef#parseValue}. */
public enum ConfigType {
    BOOLEAN, INT, LONG, DOUBLE, STRING,
    /** Comma-separated, trimmed, empty entries dropped; parsed to {@code List<String>}. */
    LIST,
    /** A class name; kept as its name so that parsing never loads or initialises classes. */
    CLASS,
    /** A secret, parsed to {@link Password} so that it never appears in logs or toString. */
    PASSWORD
}
