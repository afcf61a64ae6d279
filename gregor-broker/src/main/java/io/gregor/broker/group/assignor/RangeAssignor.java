package io.gregor.broker.group.assignor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The {@code range} assignor: topic by topic, the members subscribed to it (in member id
 * order) get consecutive ranges of its partitions, the first {@code partitions % members} one
 * partition more. Topics with the same partition count are thus co-partitioned: a member gets
 * the same partition numbers of each, which joins of keyed topics rely on.
 */
public final class RangeAssignor implements PartitionAssignor {
    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Map<UUID, Set<Integer>>> assign(AssignmentSpec spec) {
        Map<String, Map<UUID, Set<Integer>>> result = new HashMap<>();
        spec.members().keySet().forEach(member -> result.put(member, new HashMap<>()));
        spec.partitionCounts().forEach((topic, partitions) -> {
            List<String> subscribers = spec.members().entrySet().stream()
                    .filter(e -> e.getValue().subscribedTopics().contains(topic))
                    .map(Map.Entry::getKey).toList();
            if (subscribers.isEmpty()) {
                return;
            }
            int each = partitions / subscribers.size();
            int extra = partitions % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = each + (i < extra ? 1 : 0);
                Set<Integer> range = new TreeSet<>();
                for (int p = next; p < next + count; p++) {
                    range.add(p);
                }
                next += count;
                if (!range.isEmpty()) {
                    result.get(subscribers.get(i)).put(topic, range);
                }
            }
        });
        return result;
    }
}
