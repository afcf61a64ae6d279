package io.gregor.broker.group;

import io.gregor.broker.api.ErrorMapper;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.DescribeGroupsResponse;
import io.gregor.protocol.message.HeartbeatRequest;
import io.gregor.protocol.message.JoinGroupRequest;
import io.gregor.protocol.message.JoinGroupResponse;
import io.gregor.protocol.message.LeaveGroupRequest;
import io.gregor.protocol.message.LeaveGroupResponse;
import io.gregor.protocol.message.ListGroupsResponse;
import io.gregor.protocol.message.OffsetCommitRequest;
import io.gregor.protocol.message.OffsetCommitResponse;
import io.gregor.protocol.message.OffsetDeleteRequest;
import io.gregor.protocol.message.OffsetDeleteResponse;
import io.gregor.protocol.message.OffsetFetchRequest;
import io.gregor.protocol.message.OffsetFetchResponse;
import io.gregor.protocol.message.SyncGroupRequest;
import io.gregor.protocol.message.SyncGroupResponse;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of the groups that hash to one partition of {@code __consumer_offsets}: their
 * membership (the classic protocol's state machine) and their committed offsets, kept in memory
 * and written to that partition as {@link GroupRecords}. A shard exists while this broker leads
 * the partition; when it is created it replays the partition ({@link ShardLoader}) and answers
 * COORDINATOR_LOAD_IN_PROGRESS until the replay is done.
 *
 * <p>Thread-safety: the shard's state is owned by one thread, the single-threaded scheduled
 * executor it is given (several shards may share one). Every public operation is queued onto
 * it and answers with a future; timers (session expiry, rebalance timeout, the initial
 * rebalance delay) are scheduled on the same executor, so nothing here takes a lock. A held
 * JoinGroup or SyncGroup is a future completed later on this thread, never a blocked thread.
 */
public final class CoordinatorShard {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorShard.class);
    /** The generation a consumer without membership (using {@code assign()}) commits with. */
    private static final int NO_GENERATION = -1;
    private static final long NO_OFFSET = -1;
    private static final int NO_EPOCH = -1;

    private final CoordinatorLog log;
    private final ScheduledExecutorService executor;
    private final GroupCoordinatorConfig config;
    private final Clock clock;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private boolean loading = true;
    private boolean unloaded;
    private ScheduledFuture<?> offsetExpiry;

    CoordinatorShard(CoordinatorLog log, ScheduledExecutorService executor, GroupCoordinatorConfig config,
                     Clock clock) {
        this.log = log;
        this.executor = executor;
        this.config = config;
        this.clock = clock;
    }

    CoordinatorLog log() {
        return log;
    }

    /** Starts the replay of the partition; requests meanwhile get COORDINATOR_LOAD_IN_PROGRESS. */
    void startLoading() {
        ShardLoader loader = new ShardLoader(log, this::replay, this::loaded);
        execute(() -> loader.loadNextChunk(next -> {
            if (!unloaded) {
                execute(next);
            }
        }));
    }

    /** Forgets everything: this broker no longer leads the partition. Held requests get NOT_COORDINATOR. */
    void unload() {
        execute(() -> {
            unloaded = true;
            if (offsetExpiry != null) {
                offsetExpiry.cancel(false);
            }
            for (ClassicGroup group : groups.values()) {
                group.cancelRebalanceTimer();
                group.pendingMembers().values().forEach(expiry -> expiry.cancel(false));
                for (GroupMember member : group.members()) {
                    member.cancelSessionExpiry();
                    failHeld(member, Errors.NOT_COORDINATOR);
                }
            }
            groups.clear();
        });
    }

    /** Runs {@code operation} on the shard's thread; a failure to queue it answers {@code failure}. */
    <R> CompletableFuture<R> submit(Supplier<CompletableFuture<R>> operation, Function<Errors, R> failure) {
        CompletableFuture<R> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (unloaded) {
                    result.complete(failure.apply(Errors.NOT_COORDINATOR));
                } else if (loading) {
                    result.complete(failure.apply(Errors.COORDINATOR_LOAD_IN_PROGRESS));
                } else {
                    try {
                        operation.get().whenComplete((response, error) -> {
                            if (error != null) {
                                LOG.error("Group operation failed", error);
                                result.complete(failure.apply(ErrorMapper.toError(error)));
                            } else {
                                result.complete(response);
                            }
                        });
                    } catch (RuntimeException e) {
                        LOG.error("Group operation failed", e);
                        result.complete(failure.apply(Errors.UNKNOWN_SERVER_ERROR));
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(failure.apply(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        return result;
    }

    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Coordinator of {} is shut down", log.topicPartition());
        }
    }

    private void schedule(Runnable task, long delayMs, java.util.function.Consumer<java.util.concurrent.ScheduledFuture<?>> keep) {
        try {
            keep.accept(executor.schedule(() -> {
                if (!unloaded) {
                    task.run();
                }
            }, delayMs, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            LOG.debug("Coordinator of {} is shut down", log.topicPartition());
        }
    }

    // ---------------------------------------------------------------- loading

    private void replay(GroupRecords.Entry entry) {
        if (entry instanceof GroupRecords.OffsetEntry offset) {
            ClassicGroup group = groups.computeIfAbsent(offset.groupId(), ClassicGroup::new);
            offset.offset().ifPresentOrElse(
                    committed -> group.offsets().put(offset.partition(), committed),
                    () -> group.offsets().remove(offset.partition()));
        } else if (entry instanceof GroupRecords.GroupEntry metadata) {
            metadata.group().ifPresentOrElse(
                    snapshot -> groups.computeIfAbsent(metadata.groupId(), ClassicGroup::new).restore(snapshot),
                    () -> groups.remove(metadata.groupId()));
        }
    }

    private void loaded(Optional<Throwable> failure) {
        failure.ifPresent(e -> LOG.error("Loading the groups of {} failed; they stay unavailable",
                log.topicPartition(), e));
        if (failure.isPresent()) {
            return;
        }
        // Members found in the log are alive until their session says otherwise; offsets of
        // empty groups are kept a full retention from now, the time they were emptied being
        // unknown.
        long now = clock.millis();
        for (ClassicGroup group : groups.values()) {
            group.members().forEach(member -> scheduleSessionExpiry(group, member));
            if (group.is(GroupState.EMPTY) && group.protocolType().isPresent()) {
                group.emptySince(now);
            }
        }
        loading = false;
        try {
            long interval = config.offsetsRetentionCheckIntervalMs();
            offsetExpiry = executor.scheduleAtFixedRate(this::expireOffsets, interval, interval, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Coordinator of {} is shut down", log.topicPartition());
        }
        LOG.info("Loaded {} groups from {}", groups.size(), log.topicPartition());
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
            schedule(() -> expirePendingMember(group, memberId), params.sessionTimeoutMs(),
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
        java.util.concurrent.ScheduledFuture<?> pending = group.pendingMembers().remove(memberId);
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
            schedule(() -> completeJoin(group), delay, timer -> group.rebalanceTimer(timer, true));
            return;
        }
        schedule(() -> completeJoin(group), group.maxRebalanceTimeoutMs(), timer -> group.rebalanceTimer(timer, false));
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
            group.emptySince(clock.millis());
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

    private void scheduleSessionExpiry(ClassicGroup group, GroupMember member) {
        schedule(() -> expireSession(group, member), member.sessionTimeoutMs(), member::sessionExpiry);
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

    private static void failHeld(GroupMember member, Errors error) {
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
            java.util.concurrent.ScheduledFuture<?> pending = group.pendingMembers().remove(memberId);
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

    // ---------------------------------------------------------------- offsets

    public CompletableFuture<OffsetCommitResponse> commitOffsets(OffsetCommitRequest request) {
        Errors groupError = checkCommit(request);
        OffsetCommitResponse response = new OffsetCommitResponse();
        Map<TopicPartition, CommittedOffset> accepted = new LinkedHashMap<>();
        List<Runnable> onSuccess = new ArrayList<>();
        List<java.util.function.Consumer<Errors>> answers = new ArrayList<>();
        long now = clock.millis();
        for (OffsetCommitRequest.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponse.OffsetCommitResponseTopic topicResponse =
                    new OffsetCommitResponse.OffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(topicResponse);
            for (OffsetCommitRequest.OffsetCommitRequestPartition p : topic.partitions()) {
                OffsetCommitResponse.OffsetCommitResponsePartition partitionResponse =
                        new OffsetCommitResponse.OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                if (groupError != Errors.NONE) {
                    partitionResponse.setErrorCode(groupError.code());
                    continue;
                }
                if (p.committedMetadata() != null && p.committedMetadata().length() > config.offsetMetadataMaxBytes()) {
                    partitionResponse.setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code());
                    continue;
                }
                accepted.put(new TopicPartition(topic.name(), p.partitionIndex()), new CommittedOffset(
                        p.committedOffset(),
                        p.committedLeaderEpoch() == NO_EPOCH ? OptionalInt.empty() : OptionalInt.of(p.committedLeaderEpoch()),
                        Optional.ofNullable(p.committedMetadata()), now));
                answers.add(error -> partitionResponse.setErrorCode(error.code()));
            }
        }
        if (accepted.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        ClassicGroup group = groups.computeIfAbsent(request.groupId(), ClassicGroup::new);
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        accepted.forEach((tp, offset) -> builder.append(now, GroupRecords.offsetKey(group.groupId(), tp),
                GroupRecords.offsetValue(offset)));
        return append(builder.build()).thenApply(error -> {
            if (error == Errors.NONE) {
                group.offsets().putAll(accepted);
            }
            answers.forEach(answer -> answer.accept(error));
            return response;
        });
    }

    /**
     * Whether a commit may be written. A consumer without membership commits with generation
     * -1 to a group that has no members; a member commits with its id and current generation,
     * also while a rebalance is being prepared (so it can commit what it has processed before
     * giving partitions up), but not while assignments are being handed out.
     */
    private Errors checkCommit(OffsetCommitRequest request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = groups.get(request.groupId());
        int generation = request.generationIdOrMemberEpoch();
        if (group == null) {
            return generation < 0 ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        }
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && group.is(GroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (group.is(GroupState.COMPLETING_REBALANCE) && group.member(request.memberId()).isPresent()) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        Errors error = checkMember(group, request.memberId(), Optional.ofNullable(request.groupInstanceId()),
                generation);
        if (error == Errors.NONE) {
            GroupMember member = group.member(request.memberId()).orElseThrow();
            scheduleSessionExpiry(group, member);
        }
        return error;
    }

    public CompletableFuture<OffsetFetchResponse.OffsetFetchResponseGroup> fetchOffsets(
            OffsetFetchRequest.OffsetFetchRequestGroup request) {
        OffsetFetchResponse.OffsetFetchResponseGroup response = new OffsetFetchResponse.OffsetFetchResponseGroup()
                .setGroupId(request.groupId());
        ClassicGroup group = groups.get(request.groupId());
        Map<TopicPartition, CommittedOffset> offsets = group == null ? Map.of() : group.offsets();
        Map<String, OffsetFetchResponse.OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
        if (request.topics() == null) {
            offsets.forEach((tp, offset) -> addFetched(topics, tp, Optional.of(offset)));
        } else {
            for (OffsetFetchRequest.OffsetFetchRequestTopics topic : request.topics()) {
                topics.computeIfAbsent(topic.name(), name -> new OffsetFetchResponse.OffsetFetchResponseTopics()
                        .setName(name));
                for (int index : topic.partitionIndexes()) {
                    TopicPartition tp = new TopicPartition(topic.name(), index);
                    addFetched(topics, tp, Optional.ofNullable(offsets.get(tp)));
                }
            }
        }
        response.topics().addAll(topics.values());
        return CompletableFuture.completedFuture(response);
    }

    private static void addFetched(Map<String, OffsetFetchResponse.OffsetFetchResponseTopics> topics,
                                   TopicPartition tp, Optional<CommittedOffset> offset) {
        topics.computeIfAbsent(tp.topic(), name -> new OffsetFetchResponse.OffsetFetchResponseTopics().setName(name))
                .partitions().add(new OffsetFetchResponse.OffsetFetchResponsePartitions()
                        .setPartitionIndex(tp.partition())
                        .setCommittedOffset(offset.map(CommittedOffset::offset).orElse(NO_OFFSET))
                        .setCommittedLeaderEpoch(offset.flatMap(o -> o.leaderEpoch().isPresent()
                                ? Optional.of(o.leaderEpoch().getAsInt()) : Optional.empty()).orElse(NO_EPOCH))
                        .setMetadata(offset.flatMap(CommittedOffset::metadata).orElse(""))
                        .setErrorCode(Errors.NONE.code()));
    }

    public CompletableFuture<OffsetDeleteResponse> deleteOffsets(OffsetDeleteRequest request) {
        OffsetDeleteResponse response = new OffsetDeleteResponse();
        ClassicGroup group = groups.get(request.groupId());
        if (group == null || group.is(GroupState.DEAD)) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
        }
        java.util.Set<String> subscribed = group.is(GroupState.EMPTY) ? java.util.Set.of() : group.subscribedTopics();
        List<TopicPartition> deleted = new ArrayList<>();
        long now = clock.millis();
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        List<java.util.function.Consumer<Errors>> answers = new ArrayList<>();
        for (OffsetDeleteRequest.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponse.OffsetDeleteResponseTopic topicResponse =
                    new OffsetDeleteResponse.OffsetDeleteResponseTopic().setName(topic.name());
            response.topics().add(topicResponse);
            for (OffsetDeleteRequest.OffsetDeleteRequestPartition p : topic.partitions()) {
                OffsetDeleteResponse.OffsetDeleteResponsePartition partitionResponse =
                        new OffsetDeleteResponse.OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex());
                topicResponse.partitions().add(partitionResponse);
                if (subscribed.contains(topic.name())) {
                    partitionResponse.setErrorCode(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                if (group.offsets().containsKey(tp)) {
                    deleted.add(tp);
                    builder.append(now, GroupRecords.offsetKey(group.groupId(), tp), null);
                }
                answers.add(error -> partitionResponse.setErrorCode(error.code()));
            }
        }
        if (deleted.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return append(builder.build()).thenApply(error -> {
            if (error == Errors.NONE) {
                deleted.forEach(group.offsets()::remove);
            }
            answers.forEach(answer -> answer.accept(error));
            return response;
        });
    }

    // ---------------------------------------------------------------- admin

    CompletableFuture<List<ListGroupsResponse.ListedGroup>> listGroups() {
        List<ListGroupsResponse.ListedGroup> listed = new ArrayList<>();
        for (ClassicGroup group : groups.values()) {
            listed.add(new ListGroupsResponse.ListedGroup()
                    .setGroupId(group.groupId())
                    .setProtocolType(group.protocolType().orElse(""))
                    .setGroupState(group.state().wireName())
                    .setGroupType("classic"));
        }
        return CompletableFuture.completedFuture(listed);
    }

    public CompletableFuture<Optional<DescribeGroupsResponse.DescribedGroup>> describe(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        DescribeGroupsResponse.DescribedGroup described = new DescribeGroupsResponse.DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(group.state().wireName())
                .setProtocolType(group.protocolType().orElse(""))
                .setProtocolData(group.is(GroupState.STABLE) ? group.protocolName().orElse("") : "");
        for (GroupMember member : group.members()) {
            described.members().add(new DescribeGroupsResponse.DescribedGroupMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId().orElse(null))
                    .setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setMemberMetadata(group.is(GroupState.STABLE)
                            ? member.metadataFor(group.protocolName().orElse("")) : GroupMember.NO_ASSIGNMENT)
                    .setMemberAssignment(group.is(GroupState.STABLE) ? member.assignment() : GroupMember.NO_ASSIGNMENT));
        }
        return CompletableFuture.completedFuture(Optional.of(described));
    }

    /** DeleteGroups for one group: only a group without members goes, with all its offsets. */
    public CompletableFuture<Errors> deleteGroup(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null || group.is(GroupState.DEAD)) {
            return CompletableFuture.completedFuture(Errors.GROUP_ID_NOT_FOUND);
        }
        if (!group.is(GroupState.EMPTY)) {
            return CompletableFuture.completedFuture(Errors.NON_EMPTY_GROUP);
        }
        long now = clock.millis();
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        group.offsets().keySet().forEach(tp -> builder.append(now, GroupRecords.offsetKey(groupId, tp), null));
        builder.append(now, GroupRecords.groupKey(groupId), null);
        return append(builder.build()).thenApply(error -> {
            if (error == Errors.NONE) {
                group.transitionTo(GroupState.DEAD);
                groups.remove(groupId);
            }
            return error;
        });
    }

    /**
     * Drops the offsets of empty groups older than {@code offsets.retention.minutes} (tombstones
     * in the log), and a group once nothing is left of it.
     */
    private void expireOffsets() {
        if (unloaded) {
            return;
        }
        long now = clock.millis();
        for (ClassicGroup group : List.copyOf(groups.values())) {
            List<TopicPartition> expired = group.expiredOffsets(now, config.offsetsRetentionMs());
            if (expired.isEmpty()) {
                continue;
            }
            MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
            expired.forEach(tp -> builder.append(now, GroupRecords.offsetKey(group.groupId(), tp), null));
            boolean nothingLeft = expired.size() == group.offsets().size() && group.size() == 0;
            if (nothingLeft) {
                builder.append(now, GroupRecords.groupKey(group.groupId()), null);
            }
            append(builder.build()).thenAccept(error -> {
                if (error != Errors.NONE) {
                    return;
                }
                expired.forEach(group.offsets()::remove);
                LOG.info("Expired {} offsets of group {}", expired.size(), group.groupId());
                if (nothingLeft && group.isDeletable() && groups.get(group.groupId()) == group) {
                    group.transitionTo(GroupState.DEAD);
                    groups.remove(group.groupId());
                }
            });
        }
    }

    // ---------------------------------------------------------------- writing

    private CompletableFuture<Errors> persistGroup(ClassicGroup group) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        builder.append(clock.millis(), GroupRecords.groupKey(group.groupId()), GroupRecords.groupValue(group.snapshot()));
        return append(builder.build());
    }

    /**
     * Appends to the shard's partition with acks=all and answers on the shard's thread; the
     * state change that the records describe is applied by the caller once they are written.
     * Storage failures become the coordinator errors clients retry on.
     */
    private CompletableFuture<Errors> append(MemoryRecords records) {
        CompletableFuture<Errors> written = new CompletableFuture<>();
        CompletableFuture<?> append;
        try {
            append = log.append(records);
        } catch (RuntimeException e) {
            append = CompletableFuture.failedFuture(e);
        }
        append.whenComplete((outcome, failure) -> {
            Errors error = failure == null ? Errors.NONE : toCoordinatorError(ErrorMapper.toError(failure));
            if (failure != null) {
                LOG.warn("Writing to {} failed: {}", log.topicPartition(), failure.toString());
            }
            try {
                executor.execute(() -> written.complete(error));
            } catch (RejectedExecutionException e) {
                written.complete(Errors.COORDINATOR_NOT_AVAILABLE);
            }
        });
        return written;
    }

    private static Errors toCoordinatorError(Errors error) {
        return switch (error) {
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            default -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }
}
