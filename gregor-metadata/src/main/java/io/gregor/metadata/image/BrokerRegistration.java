package io.gregor.metadata.image;

import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.RegisterBrokerRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A registered broker: its id, the endpoints it advertises and its rack. Immutable. */
public record BrokerRegistration(int id, List<BrokerEndpoint> endpoints, Optional<String> rack) {
    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(rack, "rack");
    }

    public Optional<BrokerEndpoint> endpoint(String listenerName) {
        return endpoints.stream().filter(e -> e.listenerName().equals(listenerName)).findFirst();
    }

    public RegisterBrokerRecord toRecord() {
        return new RegisterBrokerRecord(id, endpoints, rack);
    }

    static BrokerRegistration of(RegisterBrokerRecord record) {
        return new BrokerRegistration(record.brokerId(), record.endpoints(), record.rack());
    }
}
