package io.gregor.broker.group;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.HeartbeatRequest;
import io.gregor.protocol.message.JoinGroupRequest;
import io.gregor.protocol.message.JoinGroupResponse;
import io.gregor.protocol.message.LeaveGroupRequest;
import io.gregor.protocol.message.LeaveGroupResponse;
import io.gregor.protocol.message.OffsetCommitRequest;
import io.gregor.protocol.message.SyncGroupRequest;
import io.gregor.protocol.message.SyncGroupResponse;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group protocol's state machine for the groups of one coordinator shard: JoinGroup,
 * SyncGroup, Heartbeat and LeaveGroup, session and rebalance timeouts, static members, and the
 * membership checks an offset commit must pass. Membership is written to the shard's log when a
 * rebalance completes and when a group empties.
 *
 * <p>Thread-safety: none; runs on its shard's thread only, like every timer it schedules.
 */
public final class GroupMembership {
    private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);
    /** The generation of a JoinGroup answer that carries an error. */
    private static final int NO_GENERATION = -1;

    private final Map<String, ClassicGroup> groups;
    private final GroupCoordinatorConfig config;
    private final ShardContext context;
    private final ConsumerGroupMembership consumerGroups;

    GroupMembership(Map<String, ClassicGroup> groups, GroupCoordinatorConfig config, ShardContext context,
                    ConsumerGroupMembership consumerGroups) {
        this.groups = groups;
        this.config = config;
        this.context = context;
        this.consumerGroups = consumerGroups;
    }

    ConsumerGroupMembership consumerGroups() {
        return consumerGroups;
    }

    // ---------------------------------------------------------------- JoinGroup

    /**
     * What the JoinGroup's version allows.
     *
     * @param requireKnownMemberId version 4+: a new member first gets MEMBER_ID_REQUIRED
     * @param skipAssignment version 9+ (KIP-814): a restarted static leader can be told the
     *     members without having to compute a new assignment
     */
    public record JoinOptions(boolean requireKnownMemberId, boolean skipAssignment) {
    }

    public CompletableFuture<JoinGroupResponse> join(JoinGroupRequest request, ClientInfo client, JoinOptions options) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        if (groupId == null || groupId.isEmpty()) {
            return joinError(memberId, Errors.INVALID_GROUP_ID);
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return joinError(memberId, Errors.INVALID_SESSION_TIMEOUT);
        }
        if (consumerGroups.hasMembers(groupId)) {
            return joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        if (consumerGroups.isConsumerGroup(groupId)) {
            // An empty consumer group gives its id up to the classic protocol; its offsets stay.
            return consumerGroups.dropEmpty(groupId).thenCompose(error -> error == Errors.NONE
                    ? join(request, client, options) : joinError(memberId, error));
        }
        List<GroupMember.Protocol> protocols = request.protocols().stream()
                .map(p -> new GroupMember.Protocol(p.name(), p.metadata())).toList();
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            if (!memberId.isEmpty()) {
                return joinError(memberId, Errors.UNKNOWN_MEMBER_ID);
            }
            group = new ClassicGroup(groupId);
        }
        if (group.is(GroupState.DEAD)) {
            return joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE);
        }
        if (!group.supports(request.protocolType(), protocols)) {
            return joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        // Only now: a join refused above leaves no trace of a group.
        groups.putIfAbsent(groupId, group);
        int rebalanceTimeoutMs = request.rebalanceTimeoutMs() < 0 ? request.sessionTimeoutMs()
                : request.rebalanceTimeoutMs();
        JoinParams params = new JoinParams(Optional.ofNullable(request.groupInstanceId()), client,
                request.sessionTimeoutMs(), rebalanceTimeoutMs, request.protocolType(), protocols, options);
        CompletableFuture<JoinGroupResponse> response = new CompletableFuture<>();
        if (memberId.isEmpty()) {
            joinNewMember(group, params, response);
        } else {
            joinKnownMember(group, memberId, params, response);
        }
        return response;
    }

    private record JoinParams(Optional<String> groupInstanceId, ClientInfo client, int sessionTimeoutMs,
                              int rebalanceTimeoutMs, String protocolType, List<GroupMember.Protocol> protocols,
                              JoinOptions options) {
    }

    private void joinNewMember(ClassicGroup group, JoinParams params, CompletableFuture<JoinGroupResponse> response) {
        Optional<GroupMember> previous = params.groupInstanceId().flatMap(group::staticMemberId).flatMap(group::member);
        if (previous.isPresent()) {
            rejoinStaticMember(group, previous.get(), params, response);
            return;
        }
        if (group.size() >= config.maxGroupSize()) {
            response.complete(joinErrorResponse("", Errors.GROUP_MAX_SIZE_REACHED));
            return;
        }
        if (params.groupInstanceId().isPresent()) {
            String instanceId = params.groupInstanceId().get();
            addMemberAndRebalance(group, newMember(instanceId + "-" + UUID.randomUUID(), params), params, response);
            return;
        }
        String memberId = params.client().clientId() + "-" + UUID.randomUUID();
        if (params.options().requireKnownMemberId()) {
            // The client must come back with this id; until it does it counts as joining, so
            // a rebalance waits for it, but only for one session.
            context.schedule(() -> expirePendingMember(group, memberId), params.sessionTimeoutMs(),
                    expiry -> group.pendingMembers().put(memberId, expiry));
            response.complete(joinErrorResponse(memberId, Errors.MEMBER_ID_REQUIRED));
            return;
        }
        addMemberAndRebalance(group, newMember(memberId, params), params, response);
    }

    private static GroupMember newMember(String memberId, JoinParams params) {
        return new GroupMember(memberId, params.groupInstanceId(), params.client().clientId(),
                params.client().clientHost(), params.sessionTimeoutMs(), params.rebalanceTimeoutMs(),
                params.protocols());
    }

    /**
     * A static member that restarted: it takes a new member id, the old one is fenced, and if
     * the group is stable and would keep its protocol, the member keeps its assignment without
     * a rebalance. A restarted leader is told the members with SkipAssignment (KIP-814) so it
     * keeps the current assignment; a client too old for that gets a rebalance instead, since
     * only a leader's JoinGroup response carries the members it must assign.
     */
    private void rejoinStaticMember(ClassicGroup group, GroupMember previous, JoinParams params,
                                    CompletableFuture<JoinGroupResponse> response) {
        String newMemberId = params.groupInstanceId().get() + "-" + UUID.randomUUID();
        boolean wasLeader = group.isLeader(previous.memberId());
        previous.cancelSessionExpiry();
        failHeld(previous, Errors.FENCED_INSTANCE_ID);
        group.remove(previous);
        GroupMember replacement = previous.withNewId(newMemberId);
        replacement.update(params.client().clientId(), params.client().clientHost(), params.sessionTimeoutMs(),
                params.rebalanceTimeoutMs(), params.protocols());
        group.add(replacement, params.protocolType());
        if (wasLeader) {
            group.leaderId(Optional.of(newMemberId));
        }
        // Its subscription metadata differs anyway (a restarted consumer owns no partitions yet);
        // what matters is whether the group would choose another protocol, as in Kafka.
        boolean unchanged = group.protocolName().filter(group.selectProtocol()::equals).isPresent();
        if (group.is(GroupState.STABLE) && unchanged && (!wasLeader || params.options().skipAssignment())) {
            scheduleSessionExpiry(group, replacement);
            persistGroup(group).thenAccept(error -> response.complete(error == Errors.NONE
                    ? currentGeneration(group, replacement).setSkipAssignment(wasLeader)
                    : joinErrorResponse(newMemberId, error)));
            return;
        }
        replacement.awaitJoin(response);
        scheduleSessionExpiry(group, replacement);
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            maybeCompleteJoin(group);
        } else {
            prepareRebalance(group, "static member " + params.groupInstanceId().get() + " rejoined");
        }
    }

    private void joinKnownMember(ClassicGroup group, String memberId, JoinParams params,
                                 CompletableFuture<JoinGroupResponse> response) {
        ScheduledFuture<?> pending = group.pendingMembers().remove(memberId);
        if (pending != null) {
            pending.cancel(false);
            addMemberAndRebalance(group, newMember(memberId, params), params, response);
            return;
        }
        Optional<GroupMember> found = group.member(memberId);
        if (found.isEmpty() || group.is(GroupState.EMPTY)) {
            response.complete(joinErrorResponse(memberId, Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        GroupMember member = found.get();
        Errors fenced = checkInstance(group, memberId, params.groupInstanceId());
        if (fenced != Errors.NONE) {
            response.complete(joinErrorResponse(memberId, fenced));
            return;
        }
        boolean unchanged = member.sameProtocols(params.protocols());
        switch (group.state()) {
            case PREPARING_REBALANCE -> {
                updateAndAwaitJoin(member, params, response);
                maybeCompleteJoin(group);
            }
            case COMPLETING_REBALANCE, STABLE -> {
                boolean leaderInStable = group.is(GroupState.STABLE) && group.isLeader(memberId);
                if (unchanged && !leaderInStable) {
                    // A follower that lost its JoinGroup response, or asks for nothing new.
                    scheduleSessionExpiry(group, member);
                    response.complete(currentGeneration(group, member));
                } else {
                    updateAndAwaitJoin(member, params, response);
                    prepareRebalance(group, "member " + memberId + " rejoined with new metadata");
                }
            }
            default -> response.complete(joinErrorResponse(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    private static void updateAndAwaitJoin(GroupMember member, JoinParams params,
                                           CompletableFuture<JoinGroupResponse> response) {
        member.update(params.client().clientId(), params.client().clientHost(), params.sessionTimeoutMs(),
                params.rebalanceTimeoutMs(), params.protocols());
        // A second JoinGroup while one is held replaces it; the older one is answered so the
        // client is not left with a request that never completes.
        member.takeAwaitingJoin().ifPresent(old -> old.complete(joinErrorResponse(member.memberId(),
                Errors.REBALANCE_IN_PROGRESS)));
        member.awaitJoin(response);
    }

    private void addMemberAndRebalance(ClassicGroup group, GroupMember member, JoinParams params,
                                       CompletableFuture<JoinGroupResponse> response) {
        member.awaitJoin(response);
        group.add(member, params.protocolType());
        scheduleSessionExpiry(group, member);
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            maybeCompleteJoin(group);
        } else {
            prepareRebalance(group, "member " + member.memberId() + " joined");
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            // Assignments of the generation that never became stable are void.
            for (GroupMember member : group.members()) {
                member.assignment(GroupMember.NO_ASSIGNMENT);
                member.takeAwaitingSync().ifPresent(sync -> sync.complete(syncErrorResponse(Errors.REBALANCE_IN_PROGRESS)));
            }
        }
        boolean newGroup = group.is(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE);
        LOG.info("Preparing to rebalance group {} in generation {}: {}", group.groupId(), group.generationId(), reason);
        if (newGroup && config.initialRebalanceDelayMs() > 0) {
            // A new group waits a little for more members, so that consumers started together
            // do not cause one rebalance each.
            int delay = Math.min(config.initialRebalanceDelayMs(), group.maxRebalanceTimeoutMs());
            context.schedule(() -> completeJoin(group), delay, timer -> group.rebalanceTimer(timer, true));
            return;
        }
        context.schedule(() -> completeJoin(group), group.maxRebalanceTimeoutMs(), timer -> group.rebalanceTimer(timer, false));
        maybeCompleteJoin(group);
    }

    private void maybeCompleteJoin(ClassicGroup group) {
        if (group.is(GroupState.PREPARING_REBALANCE) && !group.initialDelayRunning() && group.allMembersJoined()) {
            completeJoin(group);
        }
    }

    /** Ends the join phase: members that did not rejoin in time are dropped, the rest learn the new generation. */
    private void completeJoin(ClassicGroup group) {
        if (!group.is(GroupState.PREPARING_REBALANCE)) {
            return;
        }
        group.cancelRebalanceTimer();
        for (GroupMember member : List.copyOf(group.members())) {
            if (member.awaitingJoin().isEmpty() && !member.isStatic()) {
                LOG.info("Member {} of group {} did not rejoin in time", member.memberId(), group.groupId());
                removeMember(group, member, Errors.UNKNOWN_MEMBER_ID);
            }
        }
        group.nextGeneration();
        if (!group.hasMembers()) {
            group.transitionTo(GroupState.EMPTY);
            group.emptySince(context.now());
            LOG.info("Group {} is empty in generation {}", group.groupId(), group.generationId());
            persistGroup(group);
            return;
        }
        if (group.leaderId().flatMap(group::member).flatMap(GroupMember::awaitingJoin).isEmpty()) {
            group.members().stream().filter(m -> m.awaitingJoin().isPresent()).findFirst()
                    .ifPresent(m -> group.leaderId(Optional.of(m.memberId())));
        }
        group.transitionTo(GroupState.COMPLETING_REBALANCE);
        LOG.info("Group {} moves to generation {} with {} members, protocol {}", group.groupId(),
                group.generationId(), group.members().size(), group.protocolName().orElse(""));
        for (GroupMember member : group.members()) {
            member.takeAwaitingJoin().ifPresent(join -> join.complete(currentGeneration(group, member)));
            scheduleSessionExpiry(group, member);
        }
    }

    /** The JoinGroup answer for the current generation; only the leader is told the members. */
    private static JoinGroupResponse currentGeneration(ClassicGroup group, GroupMember member) {
        JoinGroupResponse response = new JoinGroupResponse()
                .setErrorCode(Errors.NONE.code())
                .setGenerationId(group.generationId())
                .setProtocolType(group.protocolType().orElse(null))
                .setProtocolName(group.protocolName().orElse(null))
                .setLeader(group.leaderId().orElse(""))
                .setMemberId(member.memberId());
        if (group.isLeader(member.memberId())) {
            String protocol = group.protocolName().orElse("");
            for (GroupMember each : group.members()) {
                response.members().add(new JoinGroupResponse.JoinGroupResponseMember()
                        .setMemberId(each.memberId())
                        .setGroupInstanceId(each.groupInstanceId().orElse(null))
                        .setMetadata(each.metadataFor(protocol)));
            }
        }
        return response;
    }

    private static CompletableFuture<JoinGroupResponse> joinError(String memberId, Errors error) {
        return CompletableFuture.completedFuture(joinErrorResponse(memberId, error));
    }

    public static JoinGroupResponse joinErrorResponse(String memberId, Errors error) {
        return new JoinGroupResponse().setErrorCode(error.code()).setGenerationId(NO_GENERATION)
                .setMemberId(memberId).setLeader("").setProtocolName(null);
    }

    // ---------------------------------------------------------------- sessions and leaving

    void scheduleSessionExpiry(ClassicGroup group, GroupMember member) {
        context.schedule(() -> expireSession(group, member), member.sessionTimeoutMs(), member::sessionExpiry);
    }

    private void expireSession(ClassicGroup group, GroupMember member) {
        if (group.member(member.memberId()).orElse(null) != member) {
            return;
        }
        if (member.awaitingJoin().isPresent() || member.isAwaitingSync()) {
            // Held requests are bounded by the rebalance; the member is alive while it waits.
            scheduleSessionExpiry(group, member);
            return;
        }
        LOG.info("Member {} of group {} missed its session timeout of {} ms", member.memberId(), group.groupId(),
                member.sessionTimeoutMs());
        removeMemberAndRebalance(group, member, "session timeout of " + member.memberId());
    }

    private void expirePendingMember(ClassicGroup group, String memberId) {
        if (group.pendingMembers().remove(memberId) != null) {
            maybeCompleteJoin(group);
        }
    }

    private void removeMember(ClassicGroup group, GroupMember member, Errors heldAnswer) {
        member.cancelSessionExpiry();
        failHeld(member, heldAnswer);
        group.remove(member);
    }

    private void removeMemberAndRebalance(ClassicGroup group, GroupMember member, String reason) {
        removeMember(group, member, Errors.UNKNOWN_MEMBER_ID);
        afterMembersLeft(group, reason);
    }

    private void afterMembersLeft(ClassicGroup group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group);
            default -> {
            }
        }
    }

    static void failHeld(GroupMember member, Errors error) {
        member.takeAwaitingJoin().ifPresent(join -> join.complete(joinErrorResponse(member.memberId(), error)));
        member.takeAwaitingSync().ifPresent(sync -> sync.complete(syncErrorResponse(error)));
    }

    /** FENCED_INSTANCE_ID when a static member's instance id now belongs to another member id. */
    private static Errors checkInstance(ClassicGroup group, String memberId, Optional<String> groupInstanceId) {
        if (groupInstanceId.isEmpty()) {
            return Errors.NONE;
        }
        Optional<String> current = group.staticMemberId(groupInstanceId.get());
        if (current.isEmpty()) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return current.get().equals(memberId) ? Errors.NONE : Errors.FENCED_INSTANCE_ID;
    }

    /** Checks a request of a member of the current generation; NONE when it may go on. */
    private static Errors checkMember(ClassicGroup group, String memberId, Optional<String> groupInstanceId,
                                      int generationId) {
        Errors fenced = checkInstance(group, memberId, groupInstanceId);
        if (fenced == Errors.FENCED_INSTANCE_ID) {
            return fenced;
        }
        if (group.member(memberId).isEmpty() || group.is(GroupState.EMPTY) || group.is(GroupState.DEAD)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return generationId == group.generationId() ? Errors.NONE : Errors.ILLEGAL_GENERATION;
    }

    public CompletableFuture<Errors> heartbeat(HeartbeatRequest request) {
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return CompletableFuture.completedFuture(Errors.UNKNOWN_MEMBER_ID);
        }
        Errors error = checkMember(group, request.memberId(), Optional.ofNullable(request.groupInstanceId()),
                request.generationId());
        if (error != Errors.NONE) {
            return CompletableFuture.completedFuture(error);
        }
        GroupMember member = group.member(request.memberId()).orElseThrow();
        scheduleSessionExpiry(group, member);
        return CompletableFuture.completedFuture(
                group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE);
    }

    public CompletableFuture<LeaveGroupResponse> leave(LeaveGroupRequest request) {
        LeaveGroupResponse response = new LeaveGroupResponse();
        ClassicGroup group = groups.get(request.groupId());
        List<String> removed = new ArrayList<>();
        for (LeaveGroupRequest.MemberIdentity identity : request.members()) {
            Errors error = group == null ? Errors.UNKNOWN_MEMBER_ID : leaveOne(group, identity, removed);
            response.members().add(new LeaveGroupResponse.MemberResponse()
                    .setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId())
                    .setErrorCode(error.code()));
        }
        if (group != null && !removed.isEmpty()) {
            afterMembersLeft(group, "members left: " + removed);
        }
        return CompletableFuture.completedFuture(response);
    }

    private Errors leaveOne(ClassicGroup group, LeaveGroupRequest.MemberIdentity identity, List<String> removed) {
        String memberId = identity.memberId();
        if (identity.groupInstanceId() != null) {
            Optional<String> current = group.staticMemberId(identity.groupInstanceId());
            if (current.isEmpty()) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current.get())) {
                return Errors.FENCED_INSTANCE_ID;
            }
            memberId = current.get();
        } else {
            ScheduledFuture<?> pending = group.pendingMembers().remove(memberId);
            if (pending != null) {
                pending.cancel(false);
                removed.add(memberId);
                return Errors.NONE;
            }
        }
        Optional<GroupMember> member = group.member(memberId);
        if (member.isEmpty()) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        removeMember(group, member.get(), Errors.UNKNOWN_MEMBER_ID);
        removed.add(memberId);
        return Errors.NONE;
    }

    // ---------------------------------------------------------------- SyncGroup

    public CompletableFuture<SyncGroupResponse> sync(SyncGroupRequest request) {
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return CompletableFuture.completedFuture(syncErrorResponse(Errors.UNKNOWN_MEMBER_ID));
        }
        Errors error = checkMember(group, request.memberId(), Optional.ofNullable(request.groupInstanceId()),
                request.generationId());
        if (error == Errors.NONE && !protocolMatches(group, request)) {
            error = Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (error == Errors.NONE && group.is(GroupState.PREPARING_REBALANCE)) {
            error = Errors.REBALANCE_IN_PROGRESS;
        }
        if (error != Errors.NONE) {
            return CompletableFuture.completedFuture(syncErrorResponse(error));
        }
        GroupMember member = group.member(request.memberId()).orElseThrow();
        scheduleSessionExpiry(group, member);
        if (group.is(GroupState.STABLE)) {
            return CompletableFuture.completedFuture(assignmentResponse(group, member));
        }
        CompletableFuture<SyncGroupResponse> response = new CompletableFuture<>();
        member.awaitSync(response);
        if (group.isLeader(member.memberId())) {
            Map<String, byte[]> assignments = new HashMap<>();
            request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
            for (GroupMember each : group.members()) {
                each.assignment(assignments.getOrDefault(each.memberId(), GroupMember.NO_ASSIGNMENT));
            }
            int generation = group.generationId();
            persistGroup(group).thenAccept(persisted -> {
                if (!group.is(GroupState.COMPLETING_REBALANCE) || group.generationId() != generation) {
                    return;
                }
                if (persisted != Errors.NONE) {
                    group.members().forEach(m -> m.takeAwaitingSync()
                            .ifPresent(sync -> sync.complete(syncErrorResponse(persisted))));
                    prepareRebalance(group, "the assignment could not be written: " + persisted);
                    return;
                }
                group.transitionTo(GroupState.STABLE);
                LOG.info("Group {} is stable in generation {}", group.groupId(), generation);
                for (GroupMember each : group.members()) {
                    each.takeAwaitingSync().ifPresent(sync -> sync.complete(assignmentResponse(group, each)));
                }
            });
        }
        return response;
    }

    private static boolean protocolMatches(ClassicGroup group, SyncGroupRequest request) {
        boolean typeMatches = request.protocolType() == null
                || group.protocolType().map(request.protocolType()::equals).orElse(false);
        boolean nameMatches = request.protocolName() == null
                || group.protocolName().map(request.protocolName()::equals).orElse(false);
        return typeMatches && nameMatches;
    }

    private static SyncGroupResponse assignmentResponse(ClassicGroup group, GroupMember member) {
        return new SyncGroupResponse().setErrorCode(Errors.NONE.code())
                .setProtocolType(group.protocolType().orElse(null))
                .setProtocolName(group.protocolName().orElse(null))
                .setAssignment(member.assignment());
    }

    public static SyncGroupResponse syncErrorResponse(Errors error) {
        return new SyncGroupResponse().setErrorCode(error.code()).setAssignment(GroupMember.NO_ASSIGNMENT);
    }

    /**
     * Whether a commit may be written. A consumer without membership commits with generation
     * -1 to a group that has no members; a member commits with its id and current generation,
     * also while a rebalance is being prepared (so it can commit what it has processed before
     * giving partitions up), but not while assignments are being handed out.
     */
    Errors checkCommit(OffsetCommitRequest request) {
        return checkCommit(request.groupId(), request.generationIdOrMemberEpoch(), request.memberId(),
                request.groupInstanceId());
    }

    /** The checks of an offset commit, transactional or not, made with this generation and member. */
    Errors checkCommit(String groupId, int generation, String memberId, String groupInstanceId) {
        if (groupId == null || groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        if (consumerGroups.isConsumerGroup(groupId)) {
            return consumerGroups.checkCommit(groupId, generation, memberId);
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return generation < 0 ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && group.is(GroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (group.is(GroupState.COMPLETING_REBALANCE) && group.member(memberId).isPresent()) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        Errors error = checkMember(group, memberId, Optional.ofNullable(groupInstanceId), generation);
        if (error == Errors.NONE) {
            GroupMember member = group.member(memberId).orElseThrow();
            scheduleSessionExpiry(group, member);
        }
        return error;
    }

    private CompletableFuture<Errors> persistGroup(ClassicGroup group) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        builder.append(context.now(), GroupRecords.groupKey(group.groupId()), GroupRecords.groupValue(group.snapshot()));
        return context.append(builder.build());
    }
}
