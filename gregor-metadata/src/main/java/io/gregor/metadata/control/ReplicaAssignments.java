package io.gregor.metadata.control;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Places replicas on brokers and checks assignments given by clients. */
final class ReplicaAssignments {
    private ReplicaAssignments() {
    }

    /**
     * The order brokers are placed in: by id when no broker has a rack; otherwise the racks take
     * turns (the first broker of each rack, then the second of each, ...), so that consecutive
     * brokers, and with them the replicas of a partition, sit on different racks. Brokers without a
     * rack form one rack of their own.
     */
    static List<Integer> placementOrder(Map<Integer, BrokerRegistration> brokers) {
        if (brokers.values().stream().allMatch(b -> b.rack().isEmpty())) {
            return brokers.keySet().stream().sorted().toList();
        }
        Map<String, List<Integer>> byRack = new TreeMap<>();
        brokers.values().stream().sorted(Comparator.comparingInt(BrokerRegistration::id))
                .forEach(b -> byRack.computeIfAbsent(b.rack().orElse(""), r -> new ArrayList<>()).add(b.id()));
        List<Integer> order = new ArrayList<>(brokers.size());
        for (int round = 0; order.size() < brokers.size(); round++) {
            for (List<Integer> rack : byRack.values()) {
                if (round < rack.size()) {
                    order.add(rack.get(round));
                }
            }
        }
        return order;
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
