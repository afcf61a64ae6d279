package io.gregor.broker.group.assignor;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What an assignor works from.
 *
 * @param members by member id: the topics each subscribes to and its current target
 *     assignment, which sticky assignors try to keep
 * @param partitionCounts the number of partitions of every subscribed topic that exists
 */
public record AssignmentSpec(SortedMap<String, MemberSpec> members, Map<UUID, Integer> partitionCounts) {
    public AssignmentSpec {
        members = new TreeMap<>(members);
        partitionCounts = Map.copyOf(partitionCounts);
    }

    /** One member: its subscribed topic ids and the partitions it is assigned now. */
    public record MemberSpec(Set<UUID> subscribedTopics, Map<UUID, Set<Integer>> currentAssignment) {
        public MemberSpec {
            subscribedTopics = Set.copyOf(subscribedTopics);
            currentAssignment = Map.copyOf(currentAssignment);
        }
    }
}
