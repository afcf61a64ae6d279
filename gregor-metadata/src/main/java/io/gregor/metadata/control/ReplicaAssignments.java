package io.gregor.metadata.control;

import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Places replicas on brokers and checks assignments given by clients. */
final class ReplicaAssignments {
    private ReplicaAssignments() {
    }

    /**
     * Round-robin placement: partition p's replicas are the brokers following p in id order, so
     * leaders (the first replica) spread evenly. {@code firstPartition} continues an existing topic.
     */
    static List<List<Integer>> place(List<Integer> sortedBrokers, int firstPartition, int count, int replicationFactor) {
        List<List<Integer>> assignments = new ArrayList<>(count);
        for (int p = firstPartition; p < firstPartition + count; p++) {
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            for (int r = 0; r < replicationFactor; r++) {
                replicas.add(sortedBrokers.get((p + r) % sortedBrokers.size()));
            }
            assignments.add(replicas);
        }
        return assignments;
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
