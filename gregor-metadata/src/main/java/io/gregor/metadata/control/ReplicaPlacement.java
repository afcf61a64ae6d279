package io.gregor.metadata.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where new replicas go: the controller places the partitions of new topics with it, and
 * {@code gregor topic reassign --generate} proposes reassignments with it, so that both spread
 * replicas over brokers and racks the same way. Pure functions of broker ids and racks.
 */
public final class ReplicaPlacement {
    private ReplicaPlacement() {
    }

    /**
     * The order brokers are placed in: by id when no broker has a rack; otherwise the racks take
     * turns (the first broker of each rack, then the second of each, ...), so that consecutive
     * brokers, and with them the replicas of a partition, sit on different racks. Brokers without a
     * rack form one rack of their own.
     *
     * @param racks every broker to place on, by id, with its rack if it has one
     */
    public static List<Integer> order(Map<Integer, Optional<String>> racks) {
        if (racks.values().stream().allMatch(Optional::isEmpty)) {
            return racks.keySet().stream().sorted().toList();
        }
        Map<String, List<Integer>> byRack = new TreeMap<>();
        racks.keySet().stream().sorted()
                .forEach(id -> byRack.computeIfAbsent(racks.get(id).orElse(""), r -> new ArrayList<>()).add(id));
        List<Integer> order = new ArrayList<>(racks.size());
        for (int round = 0; order.size() < racks.size(); round++) {
            for (List<Integer> rack : byRack.values()) {
                if (round < rack.size()) {
                    order.add(rack.get(round));
                }
            }
        }
        return order;
    }

    /**
     * Round-robin placement: partition p's replicas are the brokers following p in placement order,
     * so leaders (the first replica) spread evenly. {@code firstPartition} continues an existing topic.
     */
    public static List<List<Integer>> place(List<Integer> order, int firstPartition, int count,
                                            int replicationFactor) {
        List<List<Integer>> assignments = new ArrayList<>(count);
        for (int p = firstPartition; p < firstPartition + count; p++) {
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            for (int r = 0; r < replicationFactor; r++) {
                replicas.add(order.get((p + r) % order.size()));
            }
            assignments.add(replicas);
        }
        return assignments;
    }
}
