package io.gregor.metadata.record;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A broker joined (or re-joined with new endpoints); replaces any earlier registration of the id. */
public record RegisterBrokerRecord(int brokerId, List<BrokerEndpoint> endpoints, Optional<String> rack)
        implements MetadataRecord {
    public RegisterBrokerRecord {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(rack, "rack");
    }
}
