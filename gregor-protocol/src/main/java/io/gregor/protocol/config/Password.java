package io.gregor.protocol.config;

/** A secret configuration value: {@link #toString()} hides it so it cannot leak into logs. */
public record Password(String value) {
    @Override
    public String toString() {
        return "[hidden]";
    }
}
