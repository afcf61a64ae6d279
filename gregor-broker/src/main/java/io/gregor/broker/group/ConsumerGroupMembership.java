package io.gregor.broker.group;

import io.gregor.broker.group.assignor.AssignmentSpec;
import io.gregor.broker.group.assignor.PartitionAssignor;
import io.gregor.broker.group.assignor.RangeAssignor;
import io.gregor.broker.group.assignor.UniformAssignor;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ConsumerGroupDescribeResponse;
import io.gregor.protocol.message.ConsumerGroupHeartbeatRequest;
import io.gregor.protocol.message.ConsumerGroupHeartbeatResponse;
import io.gregor.protocol.message.ListGroupsResponse;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group protocol of KIP-848 for the groups of one coordinator shard:
 * ConsumerGroupHeartbeat (join, heartbeat, leave), session and revocation timeouts, the
 * target assignment computed on the broker by the group's assignor, and each member's
 * incremental reconciliation ({@link Reconciliation}). There is no group-wide barrier: a
 * change bumps the group epoch, a new target assignment is computed at once, and every member
 * moves towards its part of it on its own heartbeats, giving up partitions before anyone else
 * gets them.
 *
 * <p>Each heartbeat that changes anything writes the group record and the changed members'
 * records ({@link ConsumerGroupRecords}) before it is answered, so a restarted coordinator
 * resumes the group where it was.
 *
 * <p>One group id is either a classic group or a consumer group: a consumer-protocol member
 * cannot join a classic group that has members (GROUP_ID_NOT_FOUND), and a classic JoinGroup
 * for a consumer group with members is INCONSISTENT_GROUP_PROTOCOL; an empty group of either
 * kind can be taken over by the other. Committed offsets of both kinds are kept by
 * {@link GroupOffsets}.
 *
 * <p>Thread-safety: none; runs on its shard's thread only, like every timer it schedules.
 */
public final class ConsumerGroupMembership {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupMembership.class);
    static final int JOIN_EPOCH = 0;
    static final int LEAVE_EPOCH = -1;
    static final int STATIC_LEAVE_EPOCH = -2;
    private static final short FIRST_VERSION_WITH_CLIENT_MEMBER_ID = 1;
    /** ConsumerGroupDescribe's member type of a consumer-protocol member. */
    private static final byte CONSUMER_MEMBER_TYPE = 1;

    private final Map<String, ConsumerGroup> groups = new HashMap<>();
    private final Map<String, ClassicGroup> classicGroups;
    private final GroupCoordinatorConfig config;
    private final ShardContext context;
    private final SubscribableTopics topics;
    private final Map<String, PartitionAssignor> assignors = new LinkedHashMap<>();
    /** The last value written per group id and per "group id NUL member id". */
    private final Map<String, byte[]> written = new HashMap<>();

    ConsumerGroupMembership(Map<String, ClassicGroup> classicGroups, GroupCoordinatorConfig config,
                            ShardContext context, SubscribableTopics topics) {
        this.classicGroups = classicGroups;
        this.config = config;
        this.context = context;
        this.topics = topics;
        for (String name : config.consumer().assignors()) {
            PartitionAssignor assignor = switch (name) {
                case UniformAssignor.NAME -> new UniformAssignor();
                case RangeAssignor.NAME -> new RangeAssignor();
                default -> throw new IllegalArgumentException("Unknown consumer group assignor " + name);
            };
            assignors.put(name, assignor);
        }
    }

    // ---------------------------------------------------------------- ConsumerGroupHeartbeat

    /**
     * @param describable the topics the member's principal may describe: what its regular
     *     expression, if it has one, may resolve to
     */
    public CompletableFuture<ConsumerGroupHeartbeatResponse> heartbeat(ConsumerGroupHeartbeatRequest request,
                                                                       ClientInfo client, short version,
                                                                       Predicate<String> describable) {
        Optional<String> invalid = invalidRequest(request, version);
        if (invalid.isPresent()) {
            return heartbeatError(Errors.INVALID_REQUEST, invalid.get());
        }
        if (request.serverAssignor() != null && !assignors.containsKey(request.serverAssignor())) {
            return heartbeatError(Errors.UNSUPPORTED_ASSIGNOR, "Assignor " + request.serverAssignor()
                    + " is not one of " + assignors.keySet());
        }
        if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
            try {
                Pattern.compile(request.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                return heartbeatError(Errors.INVALID_REGULAR_EXPRESSION, e.getDescription());
            }
        }
        String groupId = request.groupId();
        ClassicGroup classic = classicGroups.get(groupId);
        if (classic != null && !classic.is(GroupState.EMPTY) && !classic.is(GroupState.DEAD)) {
            return heartbeatError(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group");
        }
        if (request.memberEpoch() == LEAVE_EPOCH || request.memberEpoch() == STATIC_LEAVE_EPOCH) {
            return leave(request);
        }
        ConsumerGroup group = groups.get(groupId);
        if (group == null && request.memberEpoch() != JOIN_EPOCH) {
            return heartbeatError(Errors.UNKNOWN_MEMBER_ID, "Group " + groupId + " has no member " + request.memberId());
        }
        if (group == null) {
            group = new ConsumerGroup(groupId);
        }
        Outcome outcome = request.memberEpoch() == JOIN_EPOCH ? join(group, request, client)
                : knownMember(group, request);
        if (outcome.error().isPresent()) {
            return heartbeatError(outcome.error().get(), outcome.message());
        }
        groups.putIfAbsent(groupId, group);
        ConsumerMember member = outcome.member();
        ConsumerMember.Subscription updated = member.subscription().updatedBy(request, client);
        boolean changed = outcome.joined() || !updated.assignsLike(member.subscription());
        member.subscription(updated);
        if (updated.topicRegex().isPresent()) {
            group.regexTopicFilter(describable);
        }
        group.add(member);
        scheduleSessionExpiry(group, member);
        refreshTarget(group, changed);
        Map<UUID, Set<Integer>> before = member.assignment().assigned();
        Optional<Map<UUID, Set<Integer>>> reported = Optional.ofNullable(request.topicPartitions())
                .map(ConsumerGroupMembership::fromWire);
        reconcile(group, member, reported);
        boolean sendAssignment = request.memberEpoch() == JOIN_EPOCH
                || !member.assignment().assigned().equals(before)
                || reported.filter(owned -> !owned.equals(member.assignment().assigned())).isPresent();
        return persist(group, outcome.removed()).thenApply(error -> {
            if (error != Errors.NONE) {
                return errorResponse(error, "The group's state could not be written");
            }
            ConsumerGroupHeartbeatResponse response = new ConsumerGroupHeartbeatResponse()
                    .setErrorCode(Errors.NONE.code())
                    .setMemberId(member.memberId())
                    .setMemberEpoch(member.assignment().epoch())
                    .setHeartbeatIntervalMs(config.consumer().heartbeatIntervalMs());
            if (sendAssignment) {
                response.setAssignment(new ConsumerGroupHeartbeatResponse.Assignment()
                        .setTopicPartitions(toWire(member.assignment().assigned())));
            }
            return response;
        });
    }

    /** What a join or a heartbeat of a known member resolved to, before the common steps. */
    private record Outcome(ConsumerMember member, boolean joined, List<String> removed, Optional<Errors> error,
                           String message) {
        static Outcome failed(Errors error, String message) {
            return new Outcome(null, false, List.of(), Optional.of(error), message);
        }

        static Outcome of(ConsumerMember member, boolean joined, List<String> removed) {
            return new Outcome(member, joined, removed, Optional.empty(), null);
        }
    }

    private static Optional<String> invalidRequest(ConsumerGroupHeartbeatRequest request, short version) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Optional.of("GroupId can't be empty.");
        }
        if (request.instanceId() != null && request.instanceId().isEmpty()) {
            return Optional.of("InstanceId can't be empty.");
        }
        if (request.rackId() != null && request.rackId().isEmpty()) {
            return Optional.of("RackId can't be empty.");
        }
        boolean memberIdRequired = version >= FIRST_VERSION_WITH_CLIENT_MEMBER_ID
                || request.memberEpoch() != JOIN_EPOCH;
        if (memberIdRequired && (request.memberId() == null || request.memberId().isEmpty())) {
            return Optional.of("MemberId can't be empty.");
        }
        if (request.memberEpoch() == JOIN_EPOCH) {
            if (request.rebalanceTimeoutMs() < 0) {
                return Optional.of("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null) {
                return Optional.of("TopicPartitions must be empty when (re-)joining.");
            }
            if (request.subscribedTopicNames() == null
                    && (request.subscribedTopicRegex() == null || request.subscribedTopicRegex().isEmpty())) {
                return Optional.of("SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        }
        if (request.memberEpoch() < STATIC_LEAVE_EPOCH) {
            return Optional.of("MemberEpoch " + request.memberEpoch() + " is invalid.");
        }
        return Optional.empty();
    }

    /**
     * Epoch 0: a new member, a member that lost its state and starts over under its id, or a
     * static member coming back under its instance id, which takes over its predecessor's
     * assignment without the group's assignment moving.
     */
    private Outcome join(ConsumerGroup group, ConsumerGroupHeartbeatRequest request, ClientInfo client) {
        String memberId = request.memberId() == null || request.memberId().isEmpty()
                ? UUID.randomUUID().toString() : request.memberId();
        Optional<ConsumerMember> existing = group.member(memberId);
        if (request.instanceId() != null) {
            Optional<ConsumerMember> previous = group.staticMember(request.instanceId())
                    .filter(m -> !m.memberId().equals(memberId));
            if (previous.isPresent()) {
                if (!previous.get().temporarilyLeft()) {
                    return Outcome.failed(Errors.UNRELEASED_INSTANCE_ID, "Static member " + request.instanceId()
                            + " is still in use by member " + previous.get().memberId());
                }
                ConsumerMember old = previous.get();
                old.cancelTimers();
                group.remove(old.memberId());
                ConsumerMember replacement = new ConsumerMember(memberId, old.subscription(), old.assignment());
                replacement.target(old.target());
                LOG.info("Static member {} of group {} is back as {}", request.instanceId(), group.groupId(), memberId);
                return Outcome.of(replacement, false, List.of(old.memberId()));
            }
        }
        if (existing.isPresent()) {
            // It owns nothing any more (a fenced member rejoins after giving everything up).
            ConsumerMember member = existing.get();
            member.temporarilyLeft(false);
            member.cancelRevocationTimeout();
            member.assignment(MemberAssignment.joining());
            return Outcome.of(member, false, List.of());
        }
        if (group.members().size() >= config.maxGroupSize()) {
            return Outcome.failed(Errors.GROUP_MAX_SIZE_REACHED, "Group " + group.groupId() + " has reached its maximum size "
                    + config.maxGroupSize());
        }
        LOG.info("Member {} joins consumer group {}", memberId, group.groupId());
        return Outcome.of(new ConsumerMember(memberId, ConsumerMember.Subscription.empty(client),
                MemberAssignment.joining()), true, List.of());
    }

    /**
     * A heartbeat of a member at its epoch. A heartbeat still at the previous epoch is accepted
     * when the member owns nothing beyond its assignment: the response that told it the new
     * epoch was lost.
     */
    private Outcome knownMember(ConsumerGroup group, ConsumerGroupHeartbeatRequest request) {
        Optional<ConsumerMember> found = group.member(request.memberId());
        if (found.isEmpty()) {
            return Outcome.failed(Errors.UNKNOWN_MEMBER_ID, "Group " + group.groupId() + " has no member "
                    + request.memberId());
        }
        ConsumerMember member = found.get();
        if (request.instanceId() != null
                && !member.subscription().instanceId().filter(request.instanceId()::equals).isPresent()) {
            return Outcome.failed(Errors.FENCED_INSTANCE_ID, "Instance id " + request.instanceId()
                    + " does not belong to member " + member.memberId());
        }
        MemberAssignment current = member.assignment();
        boolean atEpoch = request.memberEpoch() == current.epoch() && !member.temporarilyLeft();
        boolean lostResponse = request.memberEpoch() == current.previousEpoch() && request.topicPartitions() != null
                && Assignments.minus(fromWire(request.topicPartitions()), current.assigned()).isEmpty();
        if (!atEpoch && !lostResponse) {
            return Outcome.failed(Errors.FENCED_MEMBER_EPOCH, "Member " + member.memberId() + " is at epoch "
                    + member.visibleEpoch() + ", not " + request.memberEpoch());
        }
        return Outcome.of(member, false, List.of());
    }

    private CompletableFuture<ConsumerGroupHeartbeatResponse> leave(ConsumerGroupHeartbeatRequest request) {
        ConsumerGroup group = groups.get(request.groupId());
        Optional<ConsumerMember> member = group == null ? Optional.empty() : group.member(request.memberId());
        if (member.isEmpty()) {
            return heartbeatError(Errors.UNKNOWN_MEMBER_ID, "Group " + request.groupId() + " has no member "
                    + request.memberId());
        }
        int epoch = request.memberEpoch();
        if (epoch == STATIC_LEAVE_EPOCH && member.get().subscription().instanceId().isPresent()) {
            // Its partitions stay its own for one session, in case it comes back.
            member.get().temporarilyLeft(true);
            LOG.info("Static member {} of group {} left for now", member.get().memberId(), group.groupId());
        } else {
            LOG.info("Member {} leaves consumer group {}", member.get().memberId(), group.groupId());
            removeMember(group, member.get());
        }
        List<String> removed = epoch == STATIC_LEAVE_EPOCH && member.get().temporarilyLeft()
                ? List.of() : List.of(member.get().memberId());
        return persist(group, removed).thenApply(error -> error != Errors.NONE
                ? errorResponse(error, "The group's state could not be written")
                : new ConsumerGroupHeartbeatResponse().setErrorCode(Errors.NONE.code())
                        .setMemberId(request.memberId()).setMemberEpoch(epoch)
                        .setHeartbeatIntervalMs(0));
    }

    /** Drops a member (left, fenced or silent) and moves the group's target on without it. */
    private void removeMember(ConsumerGroup group, ConsumerMember member) {
        member.cancelTimers();
        group.remove(member.memberId());
        refreshTarget(group, true);
        if (group.isEmpty()) {
            Optional.ofNullable(classicGroups.get(group.groupId())).ifPresent(holder -> holder.emptySince(context.now()));
        }
    }

    // ---------------------------------------------------------------- target assignment

    /**
     * Bumps the group epoch when membership or subscriptions changed or the subscribed topics
     * did (created, deleted, more partitions), and computes a new target assignment for it.
     */
    private void refreshTarget(ConsumerGroup group, boolean membershipChanged) {
        Map<String, SubscribableTopics.TopicInfo> subscribed = subscribedTopics(group);
        if (membershipChanged || !subscribed.equals(group.subscribedTopics())) {
            group.bumpGroupEpoch();
            group.subscribedTopics(subscribed);
        }
        if (group.groupEpoch() <= group.assignmentEpoch()) {
            return;
        }
        PartitionAssignor assignor = assignorOf(group);
        Map<UUID, Integer> partitionCounts = new HashMap<>();
        subscribed.values().forEach(topic -> partitionCounts.put(topic.id(), topic.partitions()));
        TreeMap<String, AssignmentSpec.MemberSpec> specs = new TreeMap<>();
        for (ConsumerMember member : group.members()) {
            specs.put(member.memberId(), new AssignmentSpec.MemberSpec(topicIdsOf(group, member), member.target()));
        }
        Map<String, Map<UUID, Set<Integer>>> target = assignor.assign(new AssignmentSpec(specs, partitionCounts));
        group.members().forEach(member -> member.target(target.getOrDefault(member.memberId(), Assignments.NONE)));
        group.epochs(group.groupEpoch(), group.groupEpoch());
        LOG.info("Consumer group {} has a new target assignment at epoch {} ({} assignor, {} members)",
                group.groupId(), group.groupEpoch(), assignor.name(), group.members().size());
    }

    /** Every topic some member subscribes to, by name or by regular expression, that exists now. */
    private Map<String, SubscribableTopics.TopicInfo> subscribedTopics(ConsumerGroup group) {
        Map<String, SubscribableTopics.TopicInfo> subscribed = new TreeMap<>();
        List<Pattern> patterns = new ArrayList<>();
        for (ConsumerMember member : group.members()) {
            member.subscription().topicNames().forEach(name -> topics.byName(name)
                    .ifPresent(topic -> subscribed.put(name, topic)));
            member.subscription().topicRegex().ifPresent(regex -> patterns.add(Pattern.compile(regex)));
        }
        if (!patterns.isEmpty()) {
            for (SubscribableTopics.TopicInfo topic : topics.all()) {
                if (patterns.stream().anyMatch(p -> p.matcher(topic.name()).matches())
                        && group.regexTopicFilter().test(topic.name())) {
                    subscribed.put(topic.name(), topic);
                }
            }
        }
        return subscribed;
    }

    private Set<UUID> topicIdsOf(ConsumerGroup group, ConsumerMember member) {
        Set<UUID> ids = new TreeSet<>();
        member.subscription().topicNames().forEach(name -> topics.byName(name).ifPresent(t -> ids.add(t.id())));
        member.subscription().topicRegex().map(Pattern::compile).ifPresent(pattern -> topics.all().stream()
                .filter(topic -> pattern.matcher(topic.name()).matches())
                .filter(topic -> group.regexTopicFilter().test(topic.name()))
                .forEach(topic -> ids.add(topic.id())));
        return ids;
    }

    /** The assignor most members asked for; the first configured one when none asked. */
    private PartitionAssignor assignorOf(ConsumerGroup group) {
        Map<String, Integer> votes = new LinkedHashMap<>();
        assignors.keySet().forEach(name -> votes.put(name, 0));
        group.members().forEach(m -> m.subscription().serverAssignor().filter(assignors::containsKey)
                .ifPresent(name -> votes.merge(name, 1, Integer::sum)));
        String chosen = assignors.keySet().iterator().next();
        for (Map.Entry<String, Integer> vote : votes.entrySet()) {
            if (vote.getValue() > votes.get(chosen)) {
                chosen = vote.getKey();
            }
        }
        return assignors.get(chosen);
    }

    // ---------------------------------------------------------------- reconciliation

    private void reconcile(ConsumerGroup group, ConsumerMember member, Optional<Map<UUID, Set<Integer>>> reported) {
        MemberAssignment before = member.assignment();
        MemberAssignment next = Reconciliation.next(before, group.assignmentEpoch(), member.target(), reported,
                (topic, partition) -> group.ownedByOtherThan(member.memberId(), topic, partition));
        member.assignment(next);
        if (next.state() != MemberAssignment.State.UNREVOKED_PARTITIONS) {
            member.cancelRevocationTimeout();
        } else if (!member.revocationTimerRunning()) {
            // A member that does not give its partitions up within its rebalance timeout is
            // fenced, so the others are not held back forever.
            int epoch = next.epoch();
            int timeoutMs = Math.max(member.subscription().rebalanceTimeoutMs(), 0);
            context.schedule(() -> revocationTimedOut(group, member, epoch), timeoutMs, member::revocationTimeout);
        }
    }

    private void revocationTimedOut(ConsumerGroup group, ConsumerMember member, int epoch) {
        if (group.member(member.memberId()).orElse(null) != member
                || member.assignment().state() != MemberAssignment.State.UNREVOKED_PARTITIONS
                || member.assignment().epoch() != epoch) {
            return;
        }
        LOG.info("Member {} of consumer group {} did not revoke its partitions within {} ms and is fenced",
                member.memberId(), group.groupId(), member.subscription().rebalanceTimeoutMs());
        removeMember(group, member);
        persist(group, List.of(member.memberId()));
    }

    // ---------------------------------------------------------------- sessions

    private void scheduleSessionExpiry(ConsumerGroup group, ConsumerMember member) {
        context.schedule(() -> expireSession(group, member), config.consumer().sessionTimeoutMs(),
                member::sessionExpiry);
    }

    private void expireSession(ConsumerGroup group, ConsumerMember member) {
        if (group.member(member.memberId()).orElse(null) != member) {
            return;
        }
        LOG.info("Member {} of consumer group {} missed its session timeout of {} ms", member.memberId(),
                group.groupId(), config.consumer().sessionTimeoutMs());
        removeMember(group, member);
        persist(group, List.of(member.memberId()));
    }

    // ---------------------------------------------------------------- writing and loading

    /**
     * Writes the group record and every member record that differs from what was last
     * written, with tombstones for {@code removed} members. The last written values are kept
     * per member so that a heartbeat that changes nothing writes nothing.
     */
    private CompletableFuture<Errors> persist(ConsumerGroup group, List<String> removed) {
        long now = context.now();
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        boolean any = false;
        byte[] groupValue = ConsumerGroupRecords.groupValue(group);
        if (!Arrays.equals(groupValue, written.get(group.groupId()))) {
            builder.append(now, ConsumerGroupRecords.groupKey(group.groupId()), groupValue);
            written.put(group.groupId(), groupValue);
            any = true;
        }
        for (String memberId : removed) {
            if (group.member(memberId).isEmpty()) {
                builder.append(now, ConsumerGroupRecords.memberKey(group.groupId(), memberId), null);
                written.remove(writtenKey(group.groupId(), memberId));
                any = true;
            }
        }
        for (ConsumerMember member : group.members()) {
            byte[] value = ConsumerGroupRecords.memberValue(ConsumerGroupRecords.MemberValue.of(member));
            String key = writtenKey(group.groupId(), member.memberId());
            if (!Arrays.equals(value, written.get(key))) {
                builder.append(now, ConsumerGroupRecords.memberKey(group.groupId(), member.memberId()), value);
                written.put(key, value);
                any = true;
            }
        }
        if (!any) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        return context.append(builder.build()).thenApply(error -> {
            if (error != Errors.NONE) {
                // What is in the log is unknown: write everything again next time.
                written.keySet().removeIf(key -> key.equals(group.groupId()) || key.startsWith(group.groupId() + "\0"));
            }
            return error;
        });
    }

    private static String writtenKey(String groupId, String memberId) {
        return groupId + "\0" + memberId;
    }

    void replay(GroupRecords.Entry entry) {
        if (entry instanceof ConsumerGroupRecords.GroupEntry record) {
            record.group().ifPresentOrElse(value -> {
                ConsumerGroup group = groups.computeIfAbsent(record.groupId(), ConsumerGroup::new);
                group.epochs(value.groupEpoch(), value.assignmentEpoch());
                group.subscribedTopics(value.topics());
            }, () -> groups.remove(record.groupId()));
        } else if (entry instanceof ConsumerGroupRecords.MemberEntry record) {
            ConsumerGroup group = groups.computeIfAbsent(record.groupId(), ConsumerGroup::new);
            record.member().ifPresentOrElse(value -> {
                ConsumerMember member = new ConsumerMember(record.memberId(), value.subscription(), value.assignment());
                member.target(value.target());
                member.temporarilyLeft(value.temporarilyLeft());
                group.add(member);
            }, () -> group.remove(record.memberId()));
        }
    }

    /** After the replay: members found in the log are alive for one session from now. */
    void loaded() {
        for (ConsumerGroup group : groups.values()) {
            written.put(group.groupId(), ConsumerGroupRecords.groupValue(group));
            for (ConsumerMember member : group.members()) {
                written.put(writtenKey(group.groupId(), member.memberId()),
                        ConsumerGroupRecords.memberValue(ConsumerGroupRecords.MemberValue.of(member)));
                scheduleSessionExpiry(group, member);
            }
            if (group.isEmpty()) {
                Optional.ofNullable(classicGroups.get(group.groupId())).ifPresent(h -> h.emptySince(context.now()));
            }
        }
    }

    void unload() {
        groups.values().forEach(group -> group.members().forEach(ConsumerMember::cancelTimers));
        groups.clear();
        written.clear();
    }

    // ---------------------------------------------------------------- the other protocol and offsets

    boolean isConsumerGroup(String groupId) {
        return groups.containsKey(groupId);
    }

    boolean hasMembers(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        return group != null && !group.isEmpty();
    }

    /** The topics a consumer group's members subscribe to now (OffsetDelete keeps their offsets). */
    Set<String> subscribedTopicNames(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        return group == null ? Set.of() : Set.copyOf(subscribedTopics(group).keySet());
    }

    /** Gives up an empty consumer group so that a classic group can take the id; its offsets stay. */
    CompletableFuture<Errors> dropEmpty(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null || !group.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        groups.remove(groupId);
        written.remove(groupId);
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        builder.append(context.now(), ConsumerGroupRecords.groupKey(groupId), null);
        return context.append(builder.build());
    }

    /**
     * Drops the consumer groups that have no members and no committed offsets left (they
     * never committed, or their offsets expired), at each offsets retention check as in Kafka.
     */
    void deleteEmptyGroupsWithoutOffsets() {
        for (ConsumerGroup group : List.copyOf(groups.values())) {
            ClassicGroup holder = classicGroups.get(group.groupId());
            if (group.isEmpty() && (holder == null || holder.offsets().isEmpty())) {
                LOG.info("Deleting empty consumer group {}: no members and no offsets", group.groupId());
                dropEmpty(group.groupId());
            }
        }
    }

    /** The tombstone of a consumer group being deleted, if it is one; the caller writes it. */
    Optional<byte[]> deletionKey(String groupId) {
        return isConsumerGroup(groupId) ? Optional.of(ConsumerGroupRecords.groupKey(groupId)) : Optional.empty();
    }

    void deleted(String groupId) {
        groups.remove(groupId);
        written.remove(groupId);
    }

    /**
     * The member checks of an offset commit to a consumer group: a member commits at its
     * current epoch (an older one is STALE_MEMBER_EPOCH, a newer one FENCED_MEMBER_EPOCH); a
     * client without membership only to a group without members.
     */
    Errors checkCommit(String groupId, int memberEpoch, String memberId) {
        ConsumerGroup group = groups.get(groupId);
        if ((memberId == null || memberId.isEmpty()) && memberEpoch < 0) {
            return group.isEmpty() ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
        }
        Optional<ConsumerMember> member = group.member(memberId);
        if (member.isEmpty()) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        int epoch = member.get().assignment().epoch();
        if (memberEpoch == epoch) {
            return Errors.NONE;
        }
        return memberEpoch < epoch ? Errors.STALE_MEMBER_EPOCH : Errors.FENCED_MEMBER_EPOCH;
    }

    /** OffsetFetch v9 names the member and its epoch; fetches without them are not checked. */
    public Errors checkFetch(String groupId, String memberId, int memberEpoch) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null || memberId == null || memberEpoch < 0) {
            return Errors.NONE;
        }
        Optional<ConsumerMember> member = group.member(memberId);
        if (member.isEmpty()) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return member.get().assignment().epoch() == memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    // ---------------------------------------------------------------- admin

    List<ListGroupsResponse.ListedGroup> listGroups() {
        List<ListGroupsResponse.ListedGroup> listed = new ArrayList<>();
        for (ConsumerGroup group : groups.values()) {
            listed.add(new ListGroupsResponse.ListedGroup()
                    .setGroupId(group.groupId())
                    .setProtocolType("consumer")
                    .setGroupState(group.state().wireName())
                    .setGroupType("consumer"));
        }
        return listed;
    }

    public ConsumerGroupDescribeResponse.DescribedGroup describe(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            ClassicGroup classic = classicGroups.get(groupId);
            String message = classic != null && classic.protocolType().isPresent()
                    ? "Group " + groupId + " is not a consumer group." : "Group " + groupId + " not found.";
            return new ConsumerGroupDescribeResponse.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(message)
                    .setGroupState(GroupState.DEAD.wireName()).setAssignorName("");
        }
        ConsumerGroupDescribeResponse.DescribedGroup described = new ConsumerGroupDescribeResponse.DescribedGroup()
                .setGroupId(groupId)
                .setErrorCode(Errors.NONE.code())
                .setGroupState(group.state().wireName())
                .setGroupEpoch(group.groupEpoch())
                .setAssignmentEpoch(group.assignmentEpoch())
                .setAssignorName(assignorOf(group).name());
        for (ConsumerMember member : group.members()) {
            ConsumerMember.Subscription s = member.subscription();
            described.members().add(new ConsumerGroupDescribeResponse.Member()
                    .setMemberId(member.memberId())
                    .setInstanceId(s.instanceId().orElse(null))
                    .setRackId(s.rackId().orElse(null))
                    .setMemberEpoch(member.visibleEpoch())
                    .setClientId(s.clientId())
                    .setClientHost(s.clientHost())
                    .setSubscribedTopicNames(new ArrayList<>(s.topicNames()))
                    .setSubscribedTopicRegex(s.topicRegex().orElse(null))
                    .setAssignment(describeAssignment(member.assignment().assigned()))
                    .setTargetAssignment(describeAssignment(member.target()))
                    .setMemberType(CONSUMER_MEMBER_TYPE));
        }
        return described;
    }

    private ConsumerGroupDescribeResponse.Assignment describeAssignment(Map<UUID, Set<Integer>> assignment) {
        ConsumerGroupDescribeResponse.Assignment described = new ConsumerGroupDescribeResponse.Assignment();
        assignment.forEach((topic, partitions) -> topics.byId(topic).ifPresent(info ->
                described.topicPartitions().add(new ConsumerGroupDescribeResponse.TopicPartitions()
                        .setTopicId(topic).setTopicName(info.name()).setPartitions(new ArrayList<>(partitions)))));
        return described;
    }

    // ---------------------------------------------------------------- wire helpers

    private static Map<UUID, Set<Integer>> fromWire(List<ConsumerGroupHeartbeatRequest.TopicPartitions> owned) {
        Map<UUID, Set<Integer>> result = new TreeMap<>();
        owned.forEach(tp -> result.computeIfAbsent(tp.topicId(), t -> new TreeSet<>()).addAll(tp.partitions()));
        return Assignments.copy(result);
    }

    private static List<ConsumerGroupHeartbeatResponse.TopicPartitions> toWire(Map<UUID, Set<Integer>> assignment) {
        List<ConsumerGroupHeartbeatResponse.TopicPartitions> wire = new ArrayList<>();
        assignment.forEach((topic, partitions) -> wire.add(new ConsumerGroupHeartbeatResponse.TopicPartitions()
                .setTopicId(topic).setPartitions(new ArrayList<>(partitions))));
        return wire;
    }

    private static CompletableFuture<ConsumerGroupHeartbeatResponse> heartbeatError(Errors error, String message) {
        return CompletableFuture.completedFuture(errorResponse(error, message));
    }

    public static ConsumerGroupHeartbeatResponse errorResponse(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponse().setErrorCode(error.code()).setErrorMessage(message)
                .setMemberEpoch(LEAVE_EPOCH);
    }
}
