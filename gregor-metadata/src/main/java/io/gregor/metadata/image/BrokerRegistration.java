package io.gregor.metadata.image;

import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.RegisterBrokerRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A registered broker: its id, the endpoints it advertises, its rack, the incarnation (process
 * start) that registered it, and whether the controller has fenced it. Immutable.
 */
public record BrokerRegistration(int id, List<BrokerEndpoint> endpoints, Optional<String> rack, UUID incarnationId,
                                 boolean fenced) {
    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(rack, "rack");
        Objects.requireNonNull(incarnationId, "incarnationId");
    }

    /** An unfenced broker without incarnation id: a single node's own registration. */
    public BrokerRegistration(int id, List<BrokerEndpoint> endpoints, Optional<String> rack) {
        this(id, endpoints, rack, RegisterBrokerRecord.NO_INCARNATION, false);
    }

    public Optional<BrokerEndpoint> endpoint(String listenerName) {
        return endpoints.stream().filter(e -> e.listenerName().equals(listenerName)).findFirst();
    }

    public BrokerRegistration withFenced(boolean newFenced) {
        return new BrokerRegistration(id, endpoints, rack, incarnationId, newFenced);
    }

    public RegisterBrokerRecord toRecord() {
        return new RegisterBrokerRecord(id, endpoints, rack, incarnationId, fenced);
    }

    static BrokerRegistration of(RegisterBrokerRecord record) {
        return new BrokerRegistration(record.brokerId(), record.endpoints(), record.rack(), record.incarnationId(),
                record.fenced());
    }
}
