package io.gregor.broker.group;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What Kafka's {@code kafka.coordinator.group:type=GroupMetadataManager} gauges show of the groups
 * coordinated here: the classic groups by state, and the committed offsets of all groups.
 */
public record GroupCounts(Map<GroupState, Integer> classicGroups, long offsets) {
    public static final GroupCounts NONE = new GroupCounts(Map.of(), 0);

    public GroupCounts {
        classicGroups = Map.copyOf(classicGroups);
    }

    public int classicGroups(GroupState state) {
        return classicGroups.getOrDefault(state, 0);
    }

    public int classicGroupCount() {
        return classicGroups.values().stream().mapToInt(Integer::intValue).sum();
    }

    static GroupCounts sum(List<GroupCounts> parts) {
        Map<GroupState, Integer> byState = new EnumMap<>(GroupState.class);
        long offsets = 0;
        for (GroupCounts part : parts) {
            part.classicGroups.forEach((state, count) -> byState.merge(state, count, Integer::sum));
            offsets += part.offsets;
        }
        return new GroupCounts(byState, offsets);
    }
}
