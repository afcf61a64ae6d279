package io.gregor.server.cli;

import io.gregor.metadata.control.ReplicaPlacement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code gregor topic reassign --generate} proposes: the topics' partitions spread over the
 * chosen brokers the way the controller places a new topic's partitions (racks taking turns, see
 * {@link ReplicaPlacement}), keeping each topic's replication factor. Leaderships go round-robin
 * over the brokers across all the topics, so that the first broker does not lead partition 0 of
 * every topic.
 */
final class ReassignmentProposal {
    private ReassignmentProposal() {
    }

    /**
     * @param current the topics' partitions (numbered from 0) with their replicas now
     * @param brokers the brokers to move the partitions to, with their racks (empty: no rack, or racks ignored)
     * @throws CliException when a topic has more replicas per partition than there are brokers
     */
    static ReassignmentPlan propose(Map<TopicPartition, List<Integer>> current, Map<Integer, Optional<String>> brokers) {
        Map<String, Map<Integer, List<Integer>>> byTopic = new TreeMap<>();
        current.forEach((tp, replicas) -> byTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>())
                .put(tp.partition(), replicas));
        List<Integer> order = ReplicaPlacement.order(brokers);
        Map<TopicPartition, List<Integer>> proposed = new LinkedHashMap<>();
        int placed = 0;
        for (Map.Entry<String, Map<Integer, List<Integer>>> topic : byTopic.entrySet()) {
            int replicationFactor = topic.getValue().values().iterator().next().size();
            if (replicationFactor > order.size()) {
                throw new CliException("Topic " + topic.getKey() + " has " + replicationFactor
                        + " replicas per partition, more than the " + order.size() + " brokers of --broker-list");
            }
            List<Integer> partitions = new ArrayList<>(topic.getValue().keySet());
            List<List<Integer>> assignments = ReplicaPlacement.place(order, placed, partitions.size(),
                    replicationFactor);
            for (int i = 0; i < partitions.size(); i++) {
                proposed.put(new TopicPartition(topic.getKey(), partitions.get(i)), assignments.get(i));
            }
            placed += partitions.size();
        }
        return new ReassignmentPlan(proposed);
    }
}
