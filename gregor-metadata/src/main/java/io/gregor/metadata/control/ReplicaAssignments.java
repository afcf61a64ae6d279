package io.gregor.metadata.control;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.protocol.error.Errors;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The placement order of a metadata image's brokers, and checks of assignments given by clients. */
final class ReplicaAssignments {
    private ReplicaAssignments() {
    }

    /** The placement order of these brokers by their racks ({@link ReplicaPlacement#order}). */
    static List<Integer> placementOrder(Map<Integer, BrokerRegistration> brokers) {
        Map<Integer, Optional<String>> racks = new HashMap<>();
        brokers.forEach((id, broker) -> racks.put(id, broker.rack()));
        return ReplicaPlacement.order(racks);
    }

    /** Why the replicas of one partition cannot be used, as INVALID_REPLICA_ASSIGNMENT. */
    static Optional<ApiError> validate(int partition, List<Integer> replicas, Set<Integer> liveBrokers) {
        if (replicas.isEmpty()) {
            return invalid("The manual partition assignment includes an empty replica list for partition "
                    + partition + ".");
        }
        Set<Integer> distinct = new HashSet<>(replicas);
        if (distinct.size() != replicas.size()) {
            return invalid("The manual partition assignment includes the broker more than once for partition "
                    + partition + ": " + replicas + ".");
        }
        for (int replica : replicas) {
            if (!liveBrokers.contains(replica)) {
                return invalid("The manual partition assignment includes broker " + replica
                        + ", but no such broker is registered.");
            }
        }
        return Optional.empty();
    }

    private static Optional<ApiError> invalid(String message) {
        return Optional.of(ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT, message));
    }
}
