package io.gregor.broker.group;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A group of the consumer protocol (KIP-848): its members, the group epoch (bumped whenever
 * membership, a subscription or a subscribed topic's partitions change), and the epoch of the
 * target assignment computed for it. Members reconcile towards that target one heartbeat at a
 * time; there is no group-wide barrier.
 *
 * <p>Thread-safety: none; owned by its shard's thread.
 */
final class ConsumerGroup {
    private final String groupId;
    private int groupEpoch;
    private int assignmentEpoch;
    /** The subscribed topics (by name) the current target was computed from. */
    private Map<String, SubscribableTopics.TopicInfo> subscribedTopics = Map.of();
    private final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    /**
     * Which topics a regular expression may add: those the principal of the latest heartbeat of
     * a member subscribed by expression may describe, as Kafka resolves expressions with the ACLs
     * of the member that set off the resolution. Until such a heartbeat (a group just loaded by a
     * new coordinator), only the topics the group already had.
     */
    private Predicate<String> regexTopicFilter = topic -> subscribedTopics.containsKey(topic);

    /** The states as ConsumerGroupDescribe and ListGroups name them. */
    enum State {
        EMPTY("Empty"), ASSIGNING("Assigning"), RECONCILING("Reconciling"), STABLE("Stable");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    String groupId() {
        return groupId;
    }

    int groupEpoch() {
        return groupEpoch;
    }

    int assignmentEpoch() {
        return assignmentEpoch;
    }

    void epochs(int newGroupEpoch, int newAssignmentEpoch) {
        this.groupEpoch = newGroupEpoch;
        this.assignmentEpoch = newAssignmentEpoch;
    }

    void bumpGroupEpoch() {
        groupEpoch++;
    }

    Map<String, SubscribableTopics.TopicInfo> subscribedTopics() {
        return subscribedTopics;
    }

    void subscribedTopics(Map<String, SubscribableTopics.TopicInfo> topics) {
        this.subscribedTopics = Map.copyOf(topics);
    }

    Predicate<String> regexTopicFilter() {
        return regexTopicFilter;
    }

    void regexTopicFilter(Predicate<String> filter) {
        this.regexTopicFilter = filter;
    }

    Collection<ConsumerMember> members() {
        return members.values();
    }

    Optional<ConsumerMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    Optional<ConsumerMember> staticMember(String instanceId) {
        return members.values().stream()
                .filter(m -> m.subscription().instanceId().filter(instanceId::equals).isPresent()).findFirst();
    }

    void add(ConsumerMember member) {
        members.put(member.memberId(), member);
    }

    void remove(String memberId) {
        members.remove(memberId);
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    State state() {
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return State.ASSIGNING;
        }
        boolean reconciled = members.values().stream().allMatch(m -> m.assignment().epoch() == assignmentEpoch
                && m.assignment().state() == MemberAssignment.State.STABLE);
        return reconciled ? State.STABLE : State.RECONCILING;
    }

    /** Whether a member other than {@code memberId} owns the partition (assigned or not yet revoked). */
    boolean ownedByOtherThan(String memberId, UUID topic, int partition) {
        for (ConsumerMember member : members.values()) {
            if (!member.memberId().equals(memberId)
                    && (Assignments.contains(member.assignment().assigned(), topic, partition)
                    || Assignments.contains(member.assignment().pendingRevocation(), topic, partition))) {
                return true;
            }
        }
        return false;
    }
}
