package io.gregor.broker.group;

import io.gregor.protocol.api.TopicPartition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * A classic (pre-KIP-848) group: its state, generation, chosen protocol, leader, members and
 * committed offsets. A group that only ever committed offsets (consumers using {@code assign()})
 * is a group too, Empty and without a protocol type.
 *
 * <p>This class holds the data and answers questions about it; the transitions are made by
 * {@link CoordinatorShard}. Thread-safety: none; owned by its shard's thread.
 */
final class ClassicGroup {
    private final String groupId;
    private GroupState state = GroupState.EMPTY;
    private Optional<String> protocolType = Optional.empty();
    private Optional<String> protocolName = Optional.empty();
    private Optional<String> leaderId = Optional.empty();
    private int generationId;
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMemberIds = new HashMap<>();
    /** Members told MEMBER_ID_REQUIRED that have not joined with their id yet, with their expiry. */
    private final Map<String, ScheduledFuture<?>> pendingMembers = new HashMap<>();
    private final Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
    private ScheduledFuture<?> rebalanceTimer;
    /** True while a new group waits {@code group.initial.rebalance.delay.ms} for more members. */
    private boolean initialDelayRunning;
    /**
     * When the group last became Empty, which starts the retention of its offsets; 0 for a group
     * that never had members, whose offsets are kept from their commit time alone.
     */
    private long emptySinceMs;

    ClassicGroup(String groupId) {
        this.groupId = groupId;
    }

    String groupId() {
        return groupId;
    }

    GroupState state() {
        return state;
    }

    void transitionTo(GroupState newState) {
        this.state = newState;
    }

    boolean is(GroupState candidate) {
        return state == candidate;
    }

    Optional<String> protocolType() {
        return protocolType;
    }

    Optional<String> protocolName() {
        return protocolName;
    }

    Optional<String> leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return leaderId.filter(memberId::equals).isPresent();
    }

    void leaderId(Optional<String> newLeader) {
        this.leaderId = newLeader;
    }

    int generationId() {
        return generationId;
    }

    /** Starts the next generation with the protocol the members voted for (none when empty). */
    void nextGeneration() {
        generationId++;
        protocolName = members.isEmpty() ? Optional.empty() : Optional.of(selectProtocol());
    }

    Collection<GroupMember> members() {
        return members.values();
    }

    Optional<GroupMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    /** Adds a member; the first member of an empty group sets the group's protocol type. */
    void add(GroupMember member, String joinProtocolType) {
        if (members.isEmpty()) {
            protocolType = Optional.of(joinProtocolType);
        }
        members.put(member.memberId(), member);
        member.groupInstanceId().ifPresent(instance -> staticMemberIds.put(instance, member.memberId()));
        if (leaderId.isEmpty()) {
            leaderId = Optional.of(member.memberId());
        }
    }

    void remove(GroupMember member) {
        members.remove(member.memberId());
        member.groupInstanceId().ifPresent(instance -> staticMemberIds.remove(instance, member.memberId()));
        if (isLeader(member.memberId())) {
            leaderId = members.values().stream()
                    .filter(m -> m.awaitingJoin().isPresent()).findFirst()
                    .or(() -> members.values().stream().findFirst())
                    .map(GroupMember::memberId);
        }
        if (members.isEmpty()) {
            leaderId = Optional.empty();
        }
    }

    Optional<String> staticMemberId(String groupInstanceId) {
        return Optional.ofNullable(staticMemberIds.get(groupInstanceId));
    }

    Map<String, ScheduledFuture<?>> pendingMembers() {
        return pendingMembers;
    }

    /** True when every member has rejoined and no member told to rejoin with an id is still out. */
    boolean allMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(m -> m.awaitingJoin().isPresent());
    }

    int maxRebalanceTimeoutMs() {
        return members.values().stream().mapToInt(GroupMember::rebalanceTimeoutMs).max().orElse(0);
    }

    /**
     * Whether a member joining with this protocol type and these protocols can be in the
     * group: any member can join a group without members; otherwise the type must match and
     * one of its protocols must be supported by every member.
     */
    boolean supports(String joinProtocolType, List<GroupMember.Protocol> protocols) {
        if (members.isEmpty()) {
            return !joinProtocolType.isEmpty() && !protocols.isEmpty();
        }
        if (!protocolType.map(joinProtocolType::equals).orElse(false)) {
            return false;
        }
        Set<String> common = commonProtocols();
        return protocols.stream().anyMatch(p -> common.contains(p.name()));
    }

    private Set<String> commonProtocols() {
        Set<String> common = null;
        for (GroupMember member : members.values()) {
            Set<String> names = new LinkedHashSet<>();
            member.protocols().forEach(p -> names.add(p.name()));
            if (common == null) {
                common = names;
            } else {
                common.retainAll(names);
            }
        }
        return common == null ? Set.of() : common;
    }

    /** Each member votes for its most preferred protocol that all members support; most votes wins. */
    String selectProtocol() {
        Set<String> candidates = commonProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        for (GroupMember member : members.values()) {
            member.protocols().stream().map(GroupMember.Protocol::name).filter(candidates::contains).findFirst()
                    .ifPresent(choice -> votes.merge(choice, 1, Integer::sum));
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new IllegalStateException("Group " + groupId + " has no common protocol"));
    }

    void emptySince(long timestampMs) {
        this.emptySinceMs = timestampMs;
    }

    /** The committed offsets of an empty group older than the retention, counted from the later of commit and emptying. */
    List<TopicPartition> expiredOffsets(long nowMs, long retentionMs) {
        List<TopicPartition> expired = new ArrayList<>();
        if (!is(GroupState.EMPTY)) {
            return expired;
        }
        offsets.forEach((tp, offset) -> {
            if (Math.max(offset.commitTimestampMs(), emptySinceMs) + retentionMs <= nowMs) {
                expired.add(tp);
            }
        });
        return expired;
    }

    /** Whether nothing is left of the group: no members, none about to join, no offsets. */
    boolean isDeletable() {
        return is(GroupState.EMPTY) && members.isEmpty() && pendingMembers.isEmpty() && offsets.isEmpty();
    }

    int size() {
        return members.size() + pendingMembers.size();
    }

    Map<TopicPartition, CommittedOffset> offsets() {
        return offsets;
    }

    void cancelRebalanceTimer() {
        if (rebalanceTimer != null) {
            rebalanceTimer.cancel(false);
            rebalanceTimer = null;
        }
        initialDelayRunning = false;
    }

    void rebalanceTimer(ScheduledFuture<?> timer, boolean initialDelay) {
        cancelRebalanceTimer();
        this.rebalanceTimer = timer;
        this.initialDelayRunning = initialDelay;
    }

    boolean initialDelayRunning() {
        return initialDelayRunning;
    }

    GroupSnapshot snapshot() {
        List<GroupSnapshot.MemberSnapshot> snapshots = new ArrayList<>();
        for (GroupMember member : members.values()) {
            snapshots.add(new GroupSnapshot.MemberSnapshot(member.memberId(), member.groupInstanceId(),
                    member.clientId(), member.clientHost(), member.rebalanceTimeoutMs(), member.sessionTimeoutMs(),
                    protocolName.map(member::metadataFor).orElse(GroupMember.NO_ASSIGNMENT), member.assignment()));
        }
        return new GroupSnapshot(protocolType.orElse(""), generationId, protocolName, leaderId, snapshots);
    }

    /** Takes back the membership written in the log; members count as alive from now on. */
    void restore(GroupSnapshot snapshot) {
        members.clear();
        staticMemberIds.clear();
        protocolType = snapshot.protocolType().isEmpty() ? Optional.empty() : Optional.of(snapshot.protocolType());
        generationId = snapshot.generationId();
        protocolName = snapshot.protocolName();
        for (GroupSnapshot.MemberSnapshot m : snapshot.members()) {
            List<GroupMember.Protocol> protocols = protocolName
                    .map(name -> List.of(new GroupMember.Protocol(name, m.subscription()))).orElse(List.of());
            GroupMember member = new GroupMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    m.sessionTimeoutMs(), m.rebalanceTimeoutMs(), protocols);
            member.assignment(m.assignment());
            members.put(member.memberId(), member);
            member.groupInstanceId().ifPresent(instance -> staticMemberIds.put(instance, member.memberId()));
        }
        leaderId = snapshot.leaderId().filter(members::containsKey);
        state = members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
    }

    /**
     * The topics the members subscribed to, read from the consumer protocol's subscription
     * (int16 version, then an array of topic names); other protocol types subscribe to none.
     */
    Set<String> subscribedTopics() {
        Set<String> topics = new HashSet<>();
        if (!protocolType.filter("consumer"::equals).isPresent() || protocolName.isEmpty()) {
            return topics;
        }
        for (GroupMember member : members.values()) {
            ByteBuffer buffer = ByteBuffer.wrap(member.metadataFor(protocolName.get()));
            try {
                buffer.getShort();
                int count = buffer.getInt();
                for (int i = 0; i < count; i++) {
                    byte[] name = new byte[buffer.getShort()];
                    buffer.get(name);
                    topics.add(new String(name, StandardCharsets.UTF_8));
                }
            } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
                // Not a subscription we can read: it blocks no offset deletion.
            }
        }
        return topics;
    }
}
