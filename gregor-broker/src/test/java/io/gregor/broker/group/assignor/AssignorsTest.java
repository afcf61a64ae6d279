package io.gregor.broker.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AssignorsTest {
    private static final UUID ORDERS = new UUID(0, 1);
    private static final UUID PAYMENTS = new UUID(0, 2);

    @Test
    void uniformGivesEveryPartitionToExactlyOneMemberWithCountsDifferingByAtMostOne() {
        Map<String, Map<UUID, Set<Integer>>> result = new UniformAssignor().assign(spec(
                Map.of("a", member(Set.of(ORDERS, PAYMENTS), Map.of()),
                        "b", member(Set.of(ORDERS, PAYMENTS), Map.of()),
                        "c", member(Set.of(ORDERS, PAYMENTS), Map.of())),
                Map.of(ORDERS, 5, PAYMENTS, 3)));

        assertThat(allPartitions(result)).hasSize(8);
        assertThat(result.values()).extracting(AssignorsTest::count).allMatch(n -> n == 2 || n == 3);
    }

    @Test
    void uniformKeepsWhatMembersHaveAndMovesOnlyTheSurplusToANewMember() {
        Map<UUID, Set<Integer>> aHas = Map.of(ORDERS, Set.of(0, 1, 2));
        Map<UUID, Set<Integer>> bHas = Map.of(ORDERS, Set.of(3, 4, 5));

        Map<String, Map<UUID, Set<Integer>>> result = new UniformAssignor().assign(spec(
                Map.of("a", member(Set.of(ORDERS), aHas), "b", member(Set.of(ORDERS), bHas),
                        "c", member(Set.of(ORDERS), Map.of())),
                Map.of(ORDERS, 6)));

        assertThat(result.get("a").get(ORDERS)).hasSize(2).isSubsetOf(aHas.get(ORDERS));
        assertThat(result.get("b").get(ORDERS)).hasSize(2).isSubsetOf(bHas.get(ORDERS));
        assertThat(result.get("c").get(ORDERS)).hasSize(2);
        assertThat(allPartitions(result)).hasSize(6);
    }

    @Test
    void uniformGivesATopicOnlyToItsSubscribers() {
        Map<String, Map<UUID, Set<Integer>>> result = new UniformAssignor().assign(spec(
                Map.of("a", member(Set.of(ORDERS), Map.of()), "b", member(Set.of(PAYMENTS), Map.of())),
                Map.of(ORDERS, 4, PAYMENTS, 2)));

        assertThat(result.get("a")).containsOnlyKeys(ORDERS);
        assertThat(result.get("a").get(ORDERS)).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(result.get("b").get(PAYMENTS)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void uniformDropsPartitionsOfTopicsNoLongerSubscribed() {
        Map<String, Map<UUID, Set<Integer>>> result = new UniformAssignor().assign(spec(
                Map.of("a", member(Set.of(PAYMENTS), Map.of(ORDERS, Set.of(0)))), Map.of(PAYMENTS, 1)));

        assertThat(result.get("a")).isEqualTo(Map.of(PAYMENTS, Set.of(0)));
    }

    @Test
    void rangeGivesEachMemberTheSamePartitionNumbersOfCoPartitionedTopics() {
        Map<String, Map<UUID, Set<Integer>>> result = new RangeAssignor().assign(spec(
                Map.of("a", member(Set.of(ORDERS, PAYMENTS), Map.of()),
                        "b", member(Set.of(ORDERS, PAYMENTS), Map.of())),
                Map.of(ORDERS, 3, PAYMENTS, 3)));

        assertThat(result.get("a")).isEqualTo(Map.of(ORDERS, Set.of(0, 1), PAYMENTS, Set.of(0, 1)));
        assertThat(result.get("b")).isEqualTo(Map.of(ORDERS, Set.of(2), PAYMENTS, Set.of(2)));
    }

    @Test
    void rangeLeavesMembersBeyondThePartitionCountWithout() {
        Map<String, Map<UUID, Set<Integer>>> result = new RangeAssignor().assign(spec(
                Map.of("a", member(Set.of(ORDERS), Map.of()), "b", member(Set.of(ORDERS), Map.of()),
                        "c", member(Set.of(ORDERS), Map.of())),
                Map.of(ORDERS, 2)));

        assertThat(result.get("a")).isEqualTo(Map.of(ORDERS, Set.of(0)));
        assertThat(result.get("b")).isEqualTo(Map.of(ORDERS, Set.of(1)));
        assertThat(result.get("c")).isEmpty();
    }

    private static AssignmentSpec spec(Map<String, AssignmentSpec.MemberSpec> members, Map<UUID, Integer> counts) {
        return new AssignmentSpec(new TreeMap<>(members), counts);
    }

    private static AssignmentSpec.MemberSpec member(Set<UUID> topics, Map<UUID, Set<Integer>> current) {
        return new AssignmentSpec.MemberSpec(topics, current);
    }

    private static int count(Map<UUID, Set<Integer>> assignment) {
        return assignment.values().stream().mapToInt(Set::size).sum();
    }

    /** Every (topic, partition) assigned, failing if one is assigned twice. */
    private static Set<List<Object>> allPartitions(Map<String, Map<UUID, Set<Integer>>> result) {
        Set<List<Object>> all = new HashSet<>();
        result.values().forEach(assignment -> assignment.forEach((topic, partitions) -> partitions.forEach(p ->
                assertThat(all.add(List.of(topic, p))).as("%s-%s assigned twice", topic, p).isTrue())));
        return all;
    }
}
