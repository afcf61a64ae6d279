package io.gregor.metadata.quorum;

import java.util.Objects;

/** One voter of the metadata quorum, as listed in {@code controller.quorum.voters}: {@code id@host:port}. */
public record QuorumVoter(int id, String host, int port) {
    public QuorumVoter {
        Objects.requireNonNull(host, "host");
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return id + "@" + address();
    }
}
