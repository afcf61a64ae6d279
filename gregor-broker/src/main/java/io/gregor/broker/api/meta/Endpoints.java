package io.gregor.broker.api.meta;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.record.BrokerEndpoint;
import java.util.Optional;

/** Which of a broker's endpoints a client should be told about. */
final class Endpoints {
    private Endpoints() {
    }

    /**
     * The endpoint of the listener the request came in on, so clients stay on the network they
     * used; a broker without that listener is shown with its first endpoint rather than hidden,
     * since a hidden leader leaves clients waiting.
     */
    static BrokerEndpoint forListener(BrokerRegistration broker, String listenerName) {
        return Optional.ofNullable(listenerName).flatMap(broker::endpoint).orElse(broker.endpoints().get(0));
    }
}
