package io.gregor.metadata.record;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A broker joined (or re-joined with new endpoints, or restarted: a new incarnation id); replaces
 * any earlier registration of the id.
 *
 * @param incarnationId a random id the broker process draws at start, so that the controller
 *     tells a restart from a retried registration
 * @param fenced whether the broker starts fenced (kept out of leadership and new placements
 *     until its heartbeats unfence it)
 */
public record RegisterBrokerRecord(int brokerId, List<BrokerEndpoint> endpoints, Optional<String> rack,
                                   UUID incarnationId, boolean fenced) implements MetadataRecord {
    /** The incarnation of registrations written before incarnations existed, and of a single node. */
    public static final UUID NO_INCARNATION = new UUID(0, 0);

    public RegisterBrokerRecord {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(rack, "rack");
        Objects.requireNonNull(incarnationId, "incarnationId");
    }

    /** An unfenced registration without incarnation: how a single node registers itself. */
    public RegisterBrokerRecord(int brokerId, List<BrokerEndpoint> endpoints, Optional<String> rack) {
        this(brokerId, endpoints, rack, NO_INCARNATION, false);
    }
}
