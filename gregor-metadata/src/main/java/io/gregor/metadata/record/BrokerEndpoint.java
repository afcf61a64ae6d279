package io.gregor.metadata.record;

import java.util.Objects;

/** One listener a broker advertises to clients: its name and the address to connect to. */
public record BrokerEndpoint(String listenerName, String host, int port) {
    public BrokerEndpoint {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(host, "host");
    }
}
