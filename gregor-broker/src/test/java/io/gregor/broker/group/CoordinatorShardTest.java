package io.gregor.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.HeartbeatRequest;
import io.gregor.protocol.message.JoinGroupRequest;
import io.gregor.protocol.message.JoinGroupResponse;
import io.gregor.protocol.message.LeaveGroupRequest;
import io.gregor.protocol.message.OffsetCommitRequest;
import io.gregor.protocol.message.OffsetCommitResponse;
import io.gregor.protocol.message.OffsetFetchRequest;
import io.gregor.protocol.message.OffsetFetchResponse;
import io.gregor.protocol.message.SyncGroupRequest;
import io.gregor.protocol.message.SyncGroupResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoordinatorShardTest {
    private static final String GROUP = "group";
    private static final GroupMembership.JoinOptions V9 = new GroupMembership.JoinOptions(true, true);
    private static final int MAX_GROUP_SIZE = 3;
    private static final long RETENTION_MS = 60_000;
    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(1, (short) 1, 0, 100, 60_000,
            MAX_GROUP_SIZE, 4096, RETENTION_MS, 20);

    private final InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();
    private final MutableClock clock = new MutableClock();
    private final List<ScheduledExecutorService> executors = new ArrayList<>();
    private CoordinatorShard shard;

    @BeforeEach
    void loadEmptyShard() {
        shard = newShard();
        shard.startLoading();
        awaitLoaded();
    }

    @AfterEach
    void stopExecutors() {
        executors.forEach(ScheduledExecutorService::shutdownNow);
    }

    @Test
    void firstJoinIsAskedForAMemberIdThenLeadsGenerationOne() {
        JoinGroupResponse first = join("", 10_000);
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("client-");

        JoinGroupResponse joined = join(first.memberId(), 10_000);

        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(first.memberId());
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members()).extracting(JoinGroupResponse.JoinGroupResponseMember::memberId)
                .containsExactly(first.memberId());
    }

    @Test
    void secondMemberRebalancesAndEachGetsTheLeadersAssignment() throws Exception {
        String leader = joinedMember();
        assertThat(Errors.forCode(sync(leader, 1, List.of(assignment(leader, "all"))).errorCode())).isEqualTo(Errors.NONE);

        String follower = join("", 10_000).memberId();
        CompletableFuture<JoinGroupResponse> followerJoin = joinAsync(follower, 10_000);
        assertThat(heartbeat(leader, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponse leaderJoin = join(leader, 10_000);
        JoinGroupResponse followerJoined = followerJoin.get(5, TimeUnit.SECONDS);

        assertThat(leaderJoin.generationId()).isEqualTo(2);
        assertThat(leaderJoin.members()).hasSize(2);
        assertThat(followerJoined.members()).isEmpty();
        CompletableFuture<SyncGroupResponse> followerSync = syncAsync(follower, 2, List.of());
        assertThat(followerSync).isNotDone();
        SyncGroupResponse leaderSync = sync(leader, 2, List.of(assignment(leader, "a"), assignment(follower, "b")));

        assertThat(new String(leaderSync.assignment(), StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(new String(followerSync.get(5, TimeUnit.SECONDS).assignment(), StandardCharsets.UTF_8))
                .isEqualTo("b");
        assertThat(heartbeat(follower, 2)).isEqualTo(Errors.NONE);
        assertThat(heartbeat(follower, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void sessionTimeoutOutsideTheBrokerBoundsIsRejected() {
        assertThat(Errors.forCode(join("", 50).errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(Errors.forCode(join("", 70_000).errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void memberWithoutACommonProtocolIsRejected() {
        joinedMember();
        JoinGroupRequest other = joinRequest("", 10_000);
        other.protocols().get(0).setName("roundrobin");

        JoinGroupResponse response = call(s -> s.membership().join(other, new ClientInfo("client", "/127.0.0.1"), V9));

        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void commitWithAnOldGenerationIsRejectedAndWithTheCurrentOneAccepted() {
        String member = joinedMember();
        sync(member, 1, List.of(assignment(member, "all")));

        assertThat(commit(member, 0, 5)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commit("someone-else", 1, 5)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit(member, 1, 5)).isEqualTo(Errors.NONE);
        assertThat(fetchedOffset()).isEqualTo(5);
    }

    @Test
    void consumerWithoutMembershipCommitsToAnEmptyGroup() {
        assertThat(commit("", -1, 42)).isEqualTo(Errors.NONE);

        assertThat(fetchedOffset()).isEqualTo(42);
    }

    @Test
    void silentMemberIsEvictedAfterItsSessionTimeout() {
        String member = join("", 200).memberId();
        join(member, 200);
        sync(member, 1, List.of(assignment(member, "all")));

        // No heartbeat: each one would extend the session.
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> described().orElseThrow().members().isEmpty());
        assertThat(described().orElseThrow().groupState()).isEqualTo("Empty");
        assertThat(heartbeat(member, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void leavingLastMemberEmptiesTheGroup() {
        String member = joinedMember();
        sync(member, 1, List.of(assignment(member, "all")));

        LeaveGroupRequest leave = new LeaveGroupRequest().setGroupId(GROUP);
        leave.members().add(new LeaveGroupRequest.MemberIdentity().setMemberId(member));
        assertThat(call(s -> s.membership().leave(leave)).members().get(0).errorCode()).isEqualTo(Errors.NONE.code());

        assertThat(described().orElseThrow().groupState()).isEqualTo("Empty");
    }

    @Test
    void groupsAndOffsetsAreRebuiltByReplayingTheLog() {
        String member = joinedMember();
        sync(member, 1, List.of(assignment(member, "all")));
        commit(member, 1, 7);

        shard = newShard();
        shard.startLoading();
        awaitLoaded();

        assertThat(fetchedOffset()).isEqualTo(7);
        assertThat(described().orElseThrow().groupState()).isEqualTo("Stable");
        assertThat(heartbeat(member, 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void shardAnswersLoadInProgressUntilTheReplayIsDone() throws Exception {
        commit("", -1, 1);
        commit("", -1, 2);
        shard = newShard();
        log.holdReads();
        shard.startLoading();

        CompletableFuture<Errors> duringLoad = shard.submit(() -> shard.membership().heartbeat(heartbeatRequest("m", 1)),
                Function.identity());
        log.openReads();

        assertThat(duringLoad.get(5, TimeUnit.SECONDS)).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        awaitLoaded();
        assertThat(fetchedOffset()).isEqualTo(2);
    }

    @Test
    void joinBeyondTheMaximumGroupSizeIsRefused() {
        for (int i = 0; i < MAX_GROUP_SIZE; i++) {
            assertThat(Errors.forCode(join("", 10_000).errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        }

        assertThat(Errors.forCode(join("", 10_000).errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
    }

    @Test
    void refusedJoinLeavesNoGroupBehind() {
        JoinGroupRequest request = joinRequest("", 10_000).setProtocolType("");

        call(s -> s.membership().join(request, new ClientInfo("client", "/127.0.0.1"), V9));

        assertThat(described()).isEmpty();
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionAndTheGroupGoes() {
        assertThat(commit("", -1, 9)).isEqualTo(Errors.NONE);
        clock.advance(RETENTION_MS - 1);
        assertThat(fetchedOffset()).isEqualTo(9);

        clock.advance(1);

        await().atMost(5, TimeUnit.SECONDS).until(() -> fetchedOffset() == -1);
        assertThat(described()).isEmpty();
        shard = newShard();
        shard.startLoading();
        awaitLoaded();
        assertThat(fetchedOffset()).isEqualTo(-1);
    }

    @Test
    void offsetsOfAGroupWithMembersDoNotExpire() {
        String member = joinedMember();
        sync(member, 1, List.of(assignment(member, "all")));
        commit(member, 1, 3);

        clock.advance(RETENTION_MS * 2);
        heartbeat(member, 1);

        assertThat(fetchedOffset()).isEqualTo(3);
    }

    @Test
    void restartedStaticMemberFencesItsPreviousIdAndKeepsTheGeneration() {
        JoinGroupResponse leader = join(staticJoin("", "leader-instance"));
        sync(leader.memberId(), 1, List.of(assignment(leader.memberId(), "all")));
        JoinGroupResponse follower = joinStaticFollower();

        JoinGroupResponse restarted = join(staticJoin("", "follower-instance"));

        assertThat(Errors.forCode(restarted.errorCode())).isEqualTo(Errors.NONE);
        assertThat(restarted.generationId()).isEqualTo(follower.generationId());
        assertThat(restarted.memberId()).isNotEqualTo(follower.memberId());
        HeartbeatRequest stale = heartbeatRequest(follower.memberId(), follower.generationId())
                .setGroupInstanceId("follower-instance");
        assertThat(this.<Errors>call(s -> s.membership().heartbeat(stale))).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(new String(sync(restarted.memberId(), restarted.generationId(), List.of()).assignment(),
                StandardCharsets.UTF_8)).isEqualTo("f");
    }

    /** Adds a static follower to a stable group led by "leader-instance" and completes the rebalance. */
    private JoinGroupResponse joinStaticFollower() {
        String leaderId = described().orElseThrow().members().get(0).memberId();
        CompletableFuture<JoinGroupResponse> followerJoin = joinAsync(staticJoin("", "follower-instance"));
        JoinGroupResponse leaderRejoin = join(staticJoin(leaderId, "leader-instance"));
        JoinGroupResponse follower = followerJoin.join();
        sync(leaderId, leaderRejoin.generationId(), List.of(assignment(leaderId, "l"),
                assignment(follower.memberId(), "f")));
        return follower;
    }

    @Test
    void memberThatDoesNotRejoinWithinTheRebalanceTimeoutIsDropped() throws Exception {
        String slow = join(joinRequest("", 10_000).setRebalanceTimeoutMs(300)).memberId();
        join(joinRequest(slow, 10_000).setRebalanceTimeoutMs(300));
        sync(slow, 1, List.of(assignment(slow, "all")));
        String newcomer = join("", 10_000).memberId();
        CompletableFuture<JoinGroupResponse> newcomerJoin = joinAsync(joinRequest(newcomer, 10_000)
                .setRebalanceTimeoutMs(300));

        JoinGroupResponse joined = newcomerJoin.get(5, TimeUnit.SECONDS);

        assertThat(joined.generationId()).isEqualTo(2);
        assertThat(joined.leader()).isEqualTo(newcomer);
        assertThat(joined.members()).extracting(JoinGroupResponse.JoinGroupResponseMember::memberId)
                .containsExactly(newcomer);
        assertThat(heartbeat(slow, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void staticMemberLeavesByInstanceId() {
        JoinGroupResponse member = join(staticJoin("", "instance"));
        sync(member.memberId(), 1, List.of(assignment(member.memberId(), "all")));
        LeaveGroupRequest leave = new LeaveGroupRequest().setGroupId(GROUP);
        leave.members().add(new LeaveGroupRequest.MemberIdentity().setMemberId("").setGroupInstanceId("instance"));
        LeaveGroupRequest wrongId = new LeaveGroupRequest().setGroupId(GROUP);
        wrongId.members().add(new LeaveGroupRequest.MemberIdentity().setMemberId("other").setGroupInstanceId("instance"));

        assertThat(call(s -> s.membership().leave(wrongId)).members().get(0).errorCode())
                .isEqualTo(Errors.FENCED_INSTANCE_ID.code());
        assertThat(call(s -> s.membership().leave(leave)).members().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(described().orElseThrow().members()).isEmpty();
    }

    @Test
    void groupWithMembersCannotBeDeletedButAnEmptyOneCan() {
        String member = joinedMember();
        sync(member, 1, List.of(assignment(member, "all")));
        commit(member, 1, 4);

        assertThat(this.<Errors>call(s -> s.deleteGroup(GROUP))).isEqualTo(Errors.NON_EMPTY_GROUP);
        LeaveGroupRequest leave = new LeaveGroupRequest().setGroupId(GROUP);
        leave.members().add(new LeaveGroupRequest.MemberIdentity().setMemberId(member));
        call(s -> s.membership().leave(leave));
        assertThat(this.<Errors>call(s -> s.deleteGroup(GROUP))).isEqualTo(Errors.NONE);

        assertThat(described()).isEmpty();
        assertThat(fetchedOffset()).isEqualTo(-1);
        assertThat(this.<Errors>call(s -> s.deleteGroup(GROUP))).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void offsetsOfADeletedTopicAreDropped() {
        commit("", -1, 8);

        call(s -> {
            s.offsets().dropTopics(java.util.Set.of("topic"));
            return CompletableFuture.completedFuture(Errors.NONE);
        });

        assertThat(fetchedOffset()).isEqualTo(-1);
    }

    @Test
    void newGroupWaitsTheInitialRebalanceDelayForMoreMembers() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        executors.add(executor);
        // A 3 s delay: the first join must still be waiting when the test looks 300 ms later,
        // even on a machine so busy that a step takes a second (1 s was seen to run out there).
        shard = new CoordinatorShard(log, executor, new GroupCoordinatorConfig(1, (short) 1, 3_000, 100, 60_000,
                MAX_GROUP_SIZE, 4096, RETENTION_MS, 60_000), clock);
        shard.startLoading();
        awaitLoaded();
        String first = join("", 10_000).memberId();
        String second = join("", 10_000).memberId();

        CompletableFuture<JoinGroupResponse> firstJoin = joinAsync(first, 10_000);
        await().during(java.time.Duration.ofMillis(300)).atMost(5, TimeUnit.SECONDS)
                .until(() -> !firstJoin.isDone());
        JoinGroupResponse secondJoined = joinAsync(second, 10_000).get(5, TimeUnit.SECONDS);
        JoinGroupResponse firstJoined = firstJoin.get(5, TimeUnit.SECONDS);

        assertThat(firstJoined.generationId()).as("one rebalance for both").isEqualTo(1);
        assertThat(secondJoined.generationId()).isEqualTo(1);
        assertThat(firstJoined.members().size() + secondJoined.members().size()).as("the leader is told both")
                .isEqualTo(2);
    }

    // ---------------------------------------------------------------- helpers

    private static JoinGroupRequest staticJoin(String memberId, String instanceId) {
        return joinRequest(memberId, 10_000).setGroupInstanceId(instanceId);
    }

    private JoinGroupResponse join(JoinGroupRequest request) {
        try {
            return joinAsync(request).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private CompletableFuture<JoinGroupResponse> joinAsync(JoinGroupRequest request) {
        return shard.submit(() -> shard.membership().join(request, new ClientInfo("client", "/127.0.0.1"), V9),
                error -> GroupMembership.joinErrorResponse(request.memberId(), error));
    }

    /** A clock tests move by hand; timers still run in real time. */
    private static final class MutableClock extends Clock {
        private volatile long millis = 1_000_000;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private CoordinatorShard newShard() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        executors.add(executor);
        return new CoordinatorShard(log, executor, CONFIG, clock);
    }

    private <R> R call(Function<CoordinatorShard, CompletableFuture<R>> operation) {
        try {
            return shard.submit(() -> operation.apply(shard).thenApply(Optional::of), error -> Optional.<R>empty())
                    .get(5, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("the shard answered with an error"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void awaitLoaded() {
        await().atMost(5, TimeUnit.SECONDS).until(() -> shard.submit(
                () -> CompletableFuture.completedFuture(Errors.NONE), Function.identity()).get() == Errors.NONE);
    }

    private Optional<io.gregor.protocol.message.DescribeGroupsResponse.DescribedGroup> described() {
        return call(s -> s.describe(GROUP));
    }

    private String joinedMember() {
        String memberId = join("", 10_000).memberId();
        assertThat(join(memberId, 10_000).generationId()).isEqualTo(1);
        return memberId;
    }

    private JoinGroupResponse join(String memberId, int sessionTimeoutMs) {
        try {
            return joinAsync(memberId, sessionTimeoutMs).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private CompletableFuture<JoinGroupResponse> joinAsync(String memberId, int sessionTimeoutMs) {
        JoinGroupRequest request = joinRequest(memberId, sessionTimeoutMs);
        return shard.submit(() -> shard.membership().join(request, new ClientInfo("client", "/127.0.0.1"), V9),
                error -> GroupMembership.joinErrorResponse(memberId, error));
    }

    private static JoinGroupRequest joinRequest(String memberId, int sessionTimeoutMs) {
        JoinGroupRequest request = new JoinGroupRequest().setGroupId(GROUP).setMemberId(memberId)
                .setSessionTimeoutMs(sessionTimeoutMs).setRebalanceTimeoutMs(5_000).setProtocolType("consumer");
        request.protocols().add(new JoinGroupRequest.JoinGroupRequestProtocol().setName("range")
                .setMetadata(new byte[] {1, 2}));
        return request;
    }

    private SyncGroupResponse sync(String memberId, int generation, List<SyncGroupRequest.SyncGroupRequestAssignment> assignments) {
        try {
            return syncAsync(memberId, generation, assignments).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private CompletableFuture<SyncGroupResponse> syncAsync(String memberId, int generation,
                                                           List<SyncGroupRequest.SyncGroupRequestAssignment> assignments) {
        SyncGroupRequest request = new SyncGroupRequest().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationId(generation);
        request.assignments().addAll(assignments);
        return shard.submit(() -> shard.membership().sync(request), GroupMembership::syncErrorResponse);
    }

    private static SyncGroupRequest.SyncGroupRequestAssignment assignment(String memberId, String value) {
        return new SyncGroupRequest.SyncGroupRequestAssignment().setMemberId(memberId)
                .setAssignment(value.getBytes(StandardCharsets.UTF_8));
    }

    private Errors heartbeat(String memberId, int generation) {
        return call(s -> s.membership().heartbeat(heartbeatRequest(memberId, generation)));
    }

    private static HeartbeatRequest heartbeatRequest(String memberId, int generation) {
        return new HeartbeatRequest().setGroupId(GROUP).setMemberId(memberId).setGenerationId(generation);
    }

    private Errors commit(String memberId, int generation, long offset) {
        OffsetCommitRequest request = new OffsetCommitRequest().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation);
        OffsetCommitRequest.OffsetCommitRequestTopic topic = new OffsetCommitRequest.OffsetCommitRequestTopic()
                .setName("topic");
        topic.partitions().add(new OffsetCommitRequest.OffsetCommitRequestPartition().setPartitionIndex(0)
                .setCommittedOffset(offset));
        request.topics().add(topic);
        OffsetCommitResponse response = call(s -> s.offsets().commitOffsets(request));
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    private long fetchedOffset() {
        OffsetFetchRequest.OffsetFetchRequestGroup request = new OffsetFetchRequest.OffsetFetchRequestGroup()
                .setGroupId(GROUP).setTopics(null);
        OffsetFetchResponse.OffsetFetchResponseGroup response = call(s -> s.offsets().fetchOffsets(request));
        return Optional.of(response.topics()).filter(t -> !t.isEmpty())
                .map(t -> t.get(0).partitions().get(0).committedOffset()).orElse(-1L);
    }
}
