package io.gregor.broker.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The {@code uniform} assignor, the default: spreads all subscribed partitions so that
 * members' counts differ by as little as their subscriptions allow, and is sticky: a member
 * keeps what it has unless it has more than its share. Fewer moves mean fewer revocations,
 * which is what makes the consumer protocol's rebalances cheap.
 *
 * <p>Three steps: every member keeps its current partitions that still exist and that it still
 * subscribes to; each unowned partition goes to the subscribed member with the fewest
 * partitions; then, while some member has at least two more than another member subscribed to
 * one of its topics, one such partition moves over.
 */
public final class UniformAssignor implements PartitionAssignor {
    public static final String NAME = "uniform";

    private record Partition(UUID topic, int index) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Map<UUID, Set<Integer>>> assign(AssignmentSpec spec) {
        List<String> members = new ArrayList<>(spec.members().keySet());
        Map<String, Set<Partition>> owned = new HashMap<>();
        Set<Partition> taken = new LinkedHashSet<>();
        for (String member : members) {
            AssignmentSpec.MemberSpec memberSpec = spec.members().get(member);
            Set<Partition> kept = new LinkedHashSet<>();
            memberSpec.currentAssignment().forEach((topic, partitions) -> {
                int count = spec.partitionCounts().getOrDefault(topic, 0);
                if (memberSpec.subscribedTopics().contains(topic)) {
                    new TreeSet<>(partitions).stream().filter(p -> p < count).map(p -> new Partition(topic, p))
                            .filter(taken::add).forEach(kept::add);
                }
            });
            owned.put(member, kept);
        }
        List<UUID> topics = new ArrayList<>(spec.partitionCounts().keySet());
        topics.sort(Comparator.naturalOrder());
        for (UUID topic : topics) {
            List<String> subscribers = members.stream()
                    .filter(m -> spec.members().get(m).subscribedTopics().contains(topic)).toList();
            if (subscribers.isEmpty()) {
                continue;
            }
            for (int p = 0; p < spec.partitionCounts().get(topic); p++) {
                Partition partition = new Partition(topic, p);
                if (!taken.contains(partition)) {
                    leastLoaded(subscribers, owned).add(partition);
                    taken.add(partition);
                }
            }
        }
        balance(spec, members, owned);
        Map<String, Map<UUID, Set<Integer>>> result = new HashMap<>();
        owned.forEach((member, partitions) -> {
            Map<UUID, Set<Integer>> byTopic = new HashMap<>();
            partitions.forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new TreeSet<>()).add(p.index()));
            result.put(member, byTopic);
        });
        return result;
    }

    private static Set<Partition> leastLoaded(List<String> candidates, Map<String, Set<Partition>> owned) {
        String best = candidates.get(0);
        for (String candidate : candidates) {
            if (owned.get(candidate).size() < owned.get(best).size()) {
                best = candidate;
            }
        }
        return owned.get(best);
    }

    /** Moves partitions from the most loaded members to eligible ones with at least two fewer. */
    private static void balance(AssignmentSpec spec, List<String> members, Map<String, Set<Partition>> owned) {
        boolean moved = true;
        while (moved) {
            moved = false;
            List<String> byLoad = new ArrayList<>(members);
            byLoad.sort(Comparator.comparingInt((String m) -> owned.get(m).size()).reversed()
                    .thenComparing(Comparator.naturalOrder()));
            for (String donor : byLoad) {
                for (Partition partition : List.copyOf(owned.get(donor))) {
                    List<String> eligible = members.stream()
                            .filter(m -> spec.members().get(m).subscribedTopics().contains(partition.topic()))
                            .filter(m -> owned.get(m).size() + 2 <= owned.get(donor).size()).toList();
                    if (!eligible.isEmpty()) {
                        owned.get(donor).remove(partition);
                        leastLoaded(eligible, owned).add(partition);
                        moved = true;
                        break;
                    }
                }
                if (moved) {
                    break;
                }
            }
        }
    }
}
