package io.gregor.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ConsumerGroupDescribeResponse;
import io.gregor.protocol.message.ConsumerGroupHeartbeatRequest;
import io.gregor.protocol.message.ConsumerGroupHeartbeatResponse;
import io.gregor.protocol.message.JoinGroupRequest;
import io.gregor.protocol.message.JoinGroupResponse;
import io.gregor.protocol.message.OffsetCommitRequest;
import io.gregor.protocol.message.OffsetCommitResponse;
import io.gregor.protocol.message.OffsetDeleteRequest;
import io.gregor.protocol.message.OffsetDeleteResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsumerGroupMembershipTest {
    private static final String GROUP = "group";
    private static final UUID TOPIC_ID = new UUID(0, 42);
    private static final SubscribableTopics.TopicInfo TOPIC = new SubscribableTopics.TopicInfo(TOPIC_ID, "orders", 4);
    private static final SubscribableTopics TOPICS = new SubscribableTopics() {
        @Override
        public Optional<TopicInfo> byName(String name) {
            return Optional.of(TOPIC).filter(t -> t.name().equals(name));
        }

        @Override
        public Optional<TopicInfo> byId(UUID id) {
            return Optional.of(TOPIC).filter(t -> t.id().equals(id));
        }

        @Override
        public Collection<TopicInfo> all() {
            return List.of(TOPIC);
        }
    };

    private final InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();
    private final List<ScheduledExecutorService> executors = new ArrayList<>();
    private CoordinatorShard shard;

    @AfterEach
    void stopExecutors() {
        executors.forEach(ScheduledExecutorService::shutdownNow);
    }

    @Test
    void firstMemberGetsEveryPartitionAtEpochOne() {
        load(60_000);

        ConsumerGroupHeartbeatResponse joined = heartbeat(join("a"));

        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.memberEpoch()).isEqualTo(1);
        assertThat(joined.heartbeatIntervalMs()).isEqualTo(500);
        assertThat(partitions(joined)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void secondMemberGetsPartitionsOnlyAfterTheFirstHasRevokedThem() {
        load(60_000);
        heartbeat(join("a"));

        ConsumerGroupHeartbeatResponse second = heartbeat(join("b"));
        assertThat(second.memberEpoch()).isEqualTo(2);
        assertThat(partitions(second)).as("a still owns everything").isEmpty();

        ConsumerGroupHeartbeatResponse revoke = heartbeat(owning("a", 1, Set.of(0, 1, 2, 3)));
        assertThat(revoke.memberEpoch()).as("epoch moves only after revocation").isEqualTo(1);
        Set<Integer> kept = partitions(revoke);
        assertThat(kept).hasSize(2);
        assertThat(partitions(heartbeat(owning("b", 2, Set.of())))).as("not yet revoked").isEmpty();

        ConsumerGroupHeartbeatResponse revoked = heartbeat(owning("a", 1, kept));
        assertThat(revoked.memberEpoch()).isEqualTo(2);

        Set<Integer> released = partitions(heartbeat(owning("b", 2, Set.of())));
        assertThat(released).hasSize(2).doesNotContainAnyElementsOf(kept);
        assertThat(describe().groupState()).isEqualTo("Stable");
    }

    @Test
    void silentMemberIsFencedAfterItsSessionAndItsPartitionsMove() {
        load(300);
        heartbeat(join("a"));
        heartbeat(join("b"));

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            ConsumerGroupHeartbeatResponse b = heartbeat(owning("b", 2, partitionsOf("b")));
            assertThat(b.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(describe().members()).extracting(ConsumerGroupDescribeResponse.Member::memberId)
                    .containsExactly("b");
            assertThat(partitionsOf("b")).containsExactly(0, 1, 2, 3);
        });
        assertThat(Errors.forCode(heartbeat(owning("a", 1, Set.of())).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void memberThatDoesNotRevokeWithinItsRebalanceTimeoutIsFenced() {
        load(60_000);
        heartbeat(join("a").setRebalanceTimeoutMs(200));
        heartbeat(join("b"));

        ConsumerGroupHeartbeatResponse told = heartbeat(owning("a", 1, Set.of(0, 1, 2, 3)));
        assertThat(partitions(told)).hasSize(2);

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(partitions(heartbeat(owning("b", 2, partitionsOf("b"))))).containsExactly(0, 1, 2, 3));
        assertThat(Errors.forCode(heartbeat(owning("a", 1, Set.of(0, 1, 2, 3))).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void commitAtAnOlderMemberEpochIsStale() {
        load(60_000);
        heartbeat(join("a"));

        assertThat(commit("a", 0)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(commit("a", 1)).isEqualTo(Errors.NONE);
        assertThat(commit("stranger", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void offsetsOfATopicTheMembersSubscribeToCannotBeDeleted() {
        load(60_000);
        heartbeat(join("a"));
        assertThat(commit("a", 1)).isEqualTo(Errors.NONE);
        OffsetDeleteRequest delete = new OffsetDeleteRequest().setGroupId(GROUP);
        delete.topics().add(new OffsetDeleteRequest.OffsetDeleteRequestTopic().setName("orders")
                .setPartitions(List.of(new OffsetDeleteRequest.OffsetDeleteRequestPartition().setPartitionIndex(0))));

        OffsetDeleteResponse refused = call(s -> s.offsets().deleteOffsets(delete));

        assertThat(Errors.forCode(refused.topics().get(0).partitions().get(0).errorCode()))
                .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC);
    }

    @Test
    void heartbeatAtAWrongEpochIsFenced() {
        load(60_000);
        heartbeat(join("a"));

        assertThat(Errors.forCode(heartbeat(owning("a", 7, Set.of())).errorCode()))
                .isEqualTo(Errors.FENCED_MEMBER_EPOCH);
    }

    @Test
    void groupMembersAndAssignmentsAreRebuiltFromTheLog() {
        load(60_000);
        heartbeat(join("a"));

        load(60_000);

        ConsumerGroupHeartbeatResponse resumed = heartbeat(owning("a", 1, Set.of(0, 1, 2, 3)));
        assertThat(Errors.forCode(resumed.errorCode())).isEqualTo(Errors.NONE);
        assertThat(resumed.memberEpoch()).isEqualTo(1);
        assertThat(describe().groupEpoch()).isEqualTo(1);
        assertThat(commit("a", 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void leavingMemberHandsItsPartitionsOver() {
        load(60_000);
        heartbeat(join("a"));
        heartbeat(join("b"));

        ConsumerGroupHeartbeatResponse left = heartbeat(new ConsumerGroupHeartbeatRequest().setGroupId(GROUP)
                .setMemberId("a").setMemberEpoch(-1));

        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(partitions(heartbeat(owning("b", 2, Set.of())))).containsExactly(0, 1, 2, 3);
    }

    @Test
    void staticMemberComingBackUnderItsInstanceIdKeepsItsAssignment() {
        load(60_000);
        heartbeat(join("a").setInstanceId("instance-1"));
        heartbeat(new ConsumerGroupHeartbeatRequest().setGroupId(GROUP).setMemberId("a").setMemberEpoch(-2));

        ConsumerGroupHeartbeatResponse back = heartbeat(join("a2").setInstanceId("instance-1"));

        assertThat(back.memberEpoch()).isEqualTo(1);
        assertThat(partitions(back)).containsExactly(0, 1, 2, 3);
        assertThat(describe().groupEpoch()).as("no new assignment").isEqualTo(1);
        assertThat(Errors.forCode(heartbeat(join("a3").setInstanceId("instance-1")).errorCode()))
                .isEqualTo(Errors.UNRELEASED_INSTANCE_ID);
    }

    @Test
    void oneGroupIdCannotBeUsedByBothProtocolsWhileItHasMembers() {
        load(60_000);
        JoinGroupRequest classicJoin = new JoinGroupRequest().setGroupId(GROUP).setMemberId("")
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocolType("consumer");
        classicJoin.protocols().add(new JoinGroupRequest.JoinGroupRequestProtocol().setName("range")
                .setMetadata(new byte[0]));
        heartbeat(join("a"));

        JoinGroupResponse refused = call(s -> s.membership().join(classicJoin, new ClientInfo("c", "/h"),
                new GroupMembership.JoinOptions(false, true)));
        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

        heartbeat(new ConsumerGroupHeartbeatRequest().setGroupId(GROUP).setMemberId("a").setMemberEpoch(-1));
        JoinGroupResponse classic = call(s -> s.membership().join(classicJoin, new ClientInfo("c", "/h"),
                new GroupMembership.JoinOptions(false, true)));
        assertThat(Errors.forCode(classic.errorCode())).as("an empty consumer group gives its id up")
                .isEqualTo(Errors.NONE);

        assertThat(Errors.forCode(heartbeat(join("b")).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void badHeartbeatsGetTheMatchingErrors() {
        load(60_000);

        assertThat(Errors.forCode(heartbeat(join("a").setServerAssignor("sticky")).errorCode()))
                .isEqualTo(Errors.UNSUPPORTED_ASSIGNOR);
        assertThat(Errors.forCode(heartbeat(join("a").setRebalanceTimeoutMs(-1)).errorCode()))
                .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(Errors.forCode(heartbeat(join("a").setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("orders(")).errorCode())).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION);
        assertThat(Errors.forCode(heartbeat(owning("nobody", 3, Set.of())).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void regexSubscriptionAssignsMatchingTopics() {
        load(60_000);

        ConsumerGroupHeartbeatResponse joined = heartbeat(join("a").setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("ord.*"));

        assertThat(partitions(joined)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aRegexDoesNotResolveToTopicsTheMembersPrincipalMayNotDescribe() {
        load(60_000);

        ConsumerGroupHeartbeatResponse joined = heartbeat(join("a").setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("ord.*"), topic -> !topic.equals("orders"));

        assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partitions(joined)).isEmpty();
    }

    @Test
    void emptyGroupWithoutOffsetsIsDeletedAtTheRetentionCheckButOneWithOffsetsStays() {
        load(60_000, 50);
        heartbeat(join("a"));
        heartbeat(new ConsumerGroupHeartbeatRequest().setGroupId(GROUP).setMemberId("a").setMemberEpoch(-1));
        ConsumerGroupHeartbeatRequest other = join("b").setGroupId("committed");
        heartbeat(other);
        OffsetCommitRequest commit = new OffsetCommitRequest().setGroupId("committed").setMemberId("b")
                .setGenerationIdOrMemberEpoch(1);
        commit.topics().add(new OffsetCommitRequest.OffsetCommitRequestTopic().setName("orders")
                .setPartitions(List.of(new OffsetCommitRequest.OffsetCommitRequestPartition().setCommittedOffset(1))));
        call(s -> s.offsets().commitOffsets(commit));
        heartbeat(new ConsumerGroupHeartbeatRequest().setGroupId("committed").setMemberId("b").setMemberEpoch(-1));

        await().atMost(5, TimeUnit.SECONDS).until(() ->
                Errors.forCode(describe().errorCode()) == Errors.GROUP_ID_NOT_FOUND);
        String state = this.<String>call(s -> CompletableFuture.completedFuture(
                s.consumerGroups().describe("committed").groupState()));
        assertThat(state).isEqualTo("Empty");
    }

    // ---------------------------------------------------------------- helpers

    private void load(int sessionTimeoutMs) {
        load(sessionTimeoutMs, 60_000);
    }

    private void load(int sessionTimeoutMs, long retentionCheckIntervalMs) {
        GroupCoordinatorConfig config = new GroupCoordinatorConfig(1, (short) 1, 0, 100, 60_000, 10, 4096, 60_000,
                retentionCheckIntervalMs, new GroupCoordinatorConfig.ConsumerProtocol(sessionTimeoutMs, 500,
                List.of("uniform", "range")));
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        executors.add(executor);
        shard = new CoordinatorShard(log, executor, config, Clock.systemUTC(), TOPICS);
        shard.startLoading();
        await().atMost(5, TimeUnit.SECONDS).until(() -> shard.submit(
                () -> CompletableFuture.completedFuture(Errors.NONE), Function.identity()).get() == Errors.NONE);
    }

    private static ConsumerGroupHeartbeatRequest join(String memberId) {
        return new ConsumerGroupHeartbeatRequest().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(new ArrayList<>());
    }

    private static ConsumerGroupHeartbeatRequest owning(String memberId, int epoch, Set<Integer> partitions) {
        List<ConsumerGroupHeartbeatRequest.TopicPartitions> owned = new ArrayList<>();
        if (!partitions.isEmpty()) {
            owned.add(new ConsumerGroupHeartbeatRequest.TopicPartitions().setTopicId(TOPIC_ID)
                    .setPartitions(new ArrayList<>(partitions)));
        }
        return new ConsumerGroupHeartbeatRequest().setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(epoch)
                .setTopicPartitions(owned);
    }

    private ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest request) {
        return heartbeat(request, topic -> true);
    }

    private ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest request,
                                                     Predicate<String> describable) {
        return call(s -> s.consumerGroups().heartbeat(request, new ClientInfo("client", "/127.0.0.1"), (short) 1,
                describable));
    }

    private static Set<Integer> partitions(ConsumerGroupHeartbeatResponse response) {
        Set<Integer> partitions = new TreeSet<>();
        if (response.assignment() != null) {
            response.assignment().topicPartitions().forEach(tp -> partitions.addAll(tp.partitions()));
        }
        return partitions;
    }

    private Set<Integer> partitionsOf(String memberId) {
        Set<Integer> partitions = new TreeSet<>();
        describe().members().stream().filter(m -> m.memberId().equals(memberId))
                .forEach(m -> m.assignment().topicPartitions().forEach(tp -> partitions.addAll(tp.partitions())));
        return partitions;
    }

    private ConsumerGroupDescribeResponse.DescribedGroup describe() {
        return call(s -> CompletableFuture.completedFuture(s.consumerGroups().describe(GROUP)));
    }

    private Errors commit(String memberId, int epoch) {
        OffsetCommitRequest request = new OffsetCommitRequest().setGroupId(GROUP).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch);
        OffsetCommitRequest.OffsetCommitRequestTopic topic = new OffsetCommitRequest.OffsetCommitRequestTopic()
                .setName("orders");
        topic.partitions().add(new OffsetCommitRequest.OffsetCommitRequestPartition().setPartitionIndex(0)
                .setCommittedOffset(5));
        request.topics().add(topic);
        OffsetCommitResponse response = call(s -> s.offsets().commitOffsets(request));
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
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
}
