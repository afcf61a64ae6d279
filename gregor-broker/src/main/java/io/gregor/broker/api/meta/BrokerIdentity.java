package io.gregor.broker.api.meta;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.record.BrokerEndpoint;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * This broker as the metadata handlers present it: its node id, the endpoints it advertises and
 * its rack. The broker assembly builds it from the configuration and registers it with the
 * controller ({@link #toRegistration()}); the handlers then read every broker from the image.
 */
public record BrokerIdentity(int nodeId, List<BrokerEndpoint> advertisedEndpoints, Optional<String> rack) {
    public BrokerIdentity {
        advertisedEndpoints = List.copyOf(advertisedEndpoints);
        Objects.requireNonNull(rack, "rack");
        if (advertisedEndpoints.isEmpty()) {
            throw new IllegalArgumentException("a broker advertises at least one endpoint");
        }
    }

    public BrokerRegistration toRegistration() {
        return new BrokerRegistration(nodeId, advertisedEndpoints, rack);
    }
}
