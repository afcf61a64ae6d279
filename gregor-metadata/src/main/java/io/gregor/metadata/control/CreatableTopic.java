package io.gregor.metadata.control;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A topic to create, as CreateTopics asks for it.
 *
 * @param numPartitions empty for the broker default ({@code num.partitions})
 * @param replicationFactor empty for the broker default ({@code default.replication.factor})
 * @param assignments explicit replicas per partition index; when given, count and factor must be empty
 * @param configs topic config overrides
 */
public record CreatableTopic(
        String name,
        OptionalInt numPartitions,
        Optional<Short> replicationFactor,
        Map<Integer, List<Integer>> assignments,
        Map<String, String> configs) {
    public CreatableTopic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(numPartitions, "numPartitions");
        Objects.requireNonNull(replicationFactor, "replicationFactor");
        assignments = Map.copyOf(assignments);
        configs = Map.copyOf(configs);
    }

    /** A topic with the broker's default partitions, replication and configs. */
    public static CreatableTopic withDefaults(String name) {
        return new CreatableTopic(name, OptionalInt.empty(), Optional.empty(), Map.of(), Map.of());
    }

    public static CreatableTopic of(String name, int numPartitions, short replicationFactor) {
        return new CreatableTopic(name, OptionalInt.of(numPartitions), Optional.of(replicationFactor), Map.of(),
                Map.of());
    }

    public CreatableTopic withConfigs(Map<String, String> newConfigs) {
        return new CreatableTopic(name, numPartitions, replicationFactor, assignments, newConfigs);
    }
}
