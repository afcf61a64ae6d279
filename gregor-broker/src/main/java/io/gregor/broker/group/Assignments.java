package io.gregor.broker.group;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Set operations on assignments of the consumer group protocol: partitions by topic id. Every
 * result is a fresh, sorted, unmodifiable map without empty topics, so two equal assignments
 * are {@code equals}.
 */
final class Assignments {
    static final Map<UUID, Set<Integer>> NONE = Map.of();

    private Assignments() {
    }

    static Map<UUID, Set<Integer>> copy(Map<UUID, ? extends Set<Integer>> assignment) {
        return filter(assignment, (topic, partition) -> true);
    }

    /** The partitions of {@code assignment} for which {@code keep} holds. */
    static Map<UUID, Set<Integer>> filter(Map<UUID, ? extends Set<Integer>> assignment,
                                          BiPredicate<UUID, Integer> keep) {
        Map<UUID, Set<Integer>> result = new TreeMap<>();
        assignment.forEach((topic, partitions) -> {
            Set<Integer> kept = new TreeSet<>();
            partitions.stream().filter(p -> keep.test(topic, p)).forEach(kept::add);
            if (!kept.isEmpty()) {
                result.put(topic, Collections.unmodifiableSet(kept));
            }
        });
        return Collections.unmodifiableMap(result);
    }

    static boolean contains(Map<UUID, ? extends Set<Integer>> assignment, UUID topic, int partition) {
        Set<Integer> partitions = assignment.get(topic);
        return partitions != null && partitions.contains(partition);
    }

    static Map<UUID, Set<Integer>> intersect(Map<UUID, ? extends Set<Integer>> a, Map<UUID, ? extends Set<Integer>> b) {
        return filter(a, (topic, partition) -> contains(b, topic, partition));
    }

    static Map<UUID, Set<Integer>> minus(Map<UUID, ? extends Set<Integer>> a, Map<UUID, ? extends Set<Integer>> b) {
        return filter(a, (topic, partition) -> !contains(b, topic, partition));
    }

    static Map<UUID, Set<Integer>> union(Map<UUID, ? extends Set<Integer>> a, Map<UUID, ? extends Set<Integer>> b) {
        Map<UUID, Set<Integer>> result = new TreeMap<>();
        a.forEach((topic, partitions) -> result.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(partitions));
        b.forEach((topic, partitions) -> result.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(partitions));
        return copy(result);
    }

    static boolean overlaps(Map<UUID, ? extends Set<Integer>> a, Map<UUID, ? extends Set<Integer>> b) {
        return !intersect(a, b).isEmpty();
    }

    static int size(Map<UUID, ? extends Set<Integer>> assignment) {
        return assignment.values().stream().mapToInt(Set::size).sum();
    }
}
