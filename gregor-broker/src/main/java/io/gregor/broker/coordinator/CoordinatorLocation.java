package io.gregor.broker.coordinator;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.protocol.error.Errors;
import java.util.Optional;

/** Where FindCoordinator sends a client, or why it cannot say. */
public record CoordinatorLocation(Errors error, int nodeId, String host, int port) {

    public static CoordinatorLocation failed(Errors error) {
        return new CoordinatorLocation(error, -1, "", -1);
    }

    /**
     * The leader of {@code partition} of {@code topic}, as reached on {@code listenerName} (its
     * first listener when it has no such one), or COORDINATOR_NOT_AVAILABLE when there is no
     * reachable leader, or when the leader is this broker but it has not taken the partition up
     * yet ({@code takenUpHere} false: a new internal topic is answered before its logs exist),
     * so that the client asks again rather than being sent here to be told NOT_COORDINATOR.
     */
    static CoordinatorLocation of(MetadataImage image, CoordinatorTopic topic, int partition, int nodeId,
                                  boolean takenUpHere, String listenerName) {
        Optional<Integer> leader = topic.leader(image, partition);
        Optional<BrokerRegistration> broker = leader.flatMap(image::broker);
        if (broker.isEmpty() || broker.get().endpoints().isEmpty()) {
            return failed(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (leader.get() == nodeId && !takenUpHere) {
            return failed(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        BrokerEndpoint endpoint = Optional.ofNullable(listenerName).flatMap(broker.get()::endpoint)
                .orElse(broker.get().endpoints().get(0));
        return new CoordinatorLocation(Errors.NONE, broker.get().id(), endpoint.host(), endpoint.port());
    }
}
