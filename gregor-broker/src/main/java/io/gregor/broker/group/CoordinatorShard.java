package io.gregor.broker.group;

import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.coordinator.CoordinatorLog;
import io.gregor.broker.coordinator.CoordinatorPartitions;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.DescribeGroupsResponse;
import io.gregor.protocol.message.ListGroupsResponse;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of the groups that hash to one partition of {@code __consumer_offsets}: their
 * membership (the classic protocol's state machine) and their committed offsets, kept in memory
 * and written to that partition as {@link GroupRecords}. The protocol's state machine is
 * {@link GroupMembership}, the offsets {@link GroupOffsets} and, for transactions,
 * {@link TransactionalOffsets}; this class runs them. A shard exists while this broker leads
 * the partition; when it is created it replays the partition ({@link ShardLoader}) and answers
 * COORDINATOR_LOAD_IN_PROGRESS until the replay is done.
 *
 * <p>Thread-safety: the shard's state is owned by one thread, the single-threaded scheduled
 * executor it is given (several shards may share one). Every public operation is queued onto
 * it and answers with a future; timers (session expiry, rebalance timeout, the initial
 * rebalance delay) are scheduled on the same executor, so nothing here takes a lock. A held
 * JoinGroup or SyncGroup is a future completed later on this thread, never a blocked thread.
 */
public final class CoordinatorShard implements ShardContext, CoordinatorPartitions.Shard {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorShard.class);

    private final CoordinatorLog log;
    private final ScheduledExecutorService executor;
    private final GroupCoordinatorConfig config;
    private final Clock clock;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private boolean loading = true;
    private boolean unloaded;
    private ScheduledFuture<?> offsetExpiry;
    private final GroupMembership membership;
    private final GroupOffsets offsets;
    private final TransactionalOffsets transactionalOffsets;
    private final ConsumerGroupMembership consumerGroups;

    CoordinatorShard(CoordinatorLog log, ScheduledExecutorService executor, GroupCoordinatorConfig config,
                     Clock clock) {
        this(log, executor, config, clock, SubscribableTopics.NONE);
    }

    CoordinatorShard(CoordinatorLog log, ScheduledExecutorService executor, GroupCoordinatorConfig config,
                     Clock clock, SubscribableTopics topics) {
        this.log = log;
        this.executor = executor;
        this.config = config;
        this.clock = clock;
        this.consumerGroups = new ConsumerGroupMembership(groups, config, this, topics);
        this.membership = new GroupMembership(groups, config, this, consumerGroups);
        this.offsets = new GroupOffsets(groups, config, this, membership);
        this.transactionalOffsets = new TransactionalOffsets(groups, config, this, membership);
    }

    /** JoinGroup, SyncGroup, Heartbeat, LeaveGroup; call only from {@link #submit}. */
    public GroupMembership membership() {
        return membership;
    }

    /** ConsumerGroupHeartbeat and ConsumerGroupDescribe (KIP-848); call only from {@link #submit}. */
    public ConsumerGroupMembership consumerGroups() {
        return consumerGroups;
    }

    /** OffsetCommit, OffsetFetch, OffsetDelete; call only from {@link #submit}. */
    public GroupOffsets offsets() {
        return offsets;
    }

    /** TxnOffsetCommit and the pending offsets of open transactions; call only from {@link #submit}. */
    public TransactionalOffsets transactionalOffsets() {
        return transactionalOffsets;
    }

    /**
     * A transaction marker was committed on this shard's partition. Runs even while loading: the
     * replay may or may not have passed the marker, and completing a transaction twice is harmless.
     */
    void onTransactionMarker(long producerId, boolean commit) {
        execute(() -> {
            if (!unloaded) {
                transactionalOffsets.complete(producerId, commit);
            }
        });
    }

    @Override
    public CoordinatorLog log() {
        return log;
    }

    /** Starts the replay of the partition; requests meanwhile get COORDINATOR_LOAD_IN_PROGRESS. */
    @Override
    public void startLoading() {
        ShardLoader loader = new ShardLoader(log, new ShardLoader.Replay() {
            @Override
            public void record(GroupRecords.Entry entry) {
                replay(entry);
            }

            @Override
            public void transactionalRecord(long producerId, GroupRecords.Entry entry) {
                if (entry instanceof GroupRecords.OffsetEntry offset && offset.offset().isPresent()) {
                    transactionalOffsets.replayPending(producerId, offset.groupId(), offset.partition(),
                            offset.offset().get());
                }
            }

            @Override
            public void marker(long producerId, boolean commit) {
                transactionalOffsets.complete(producerId, commit);
            }
        }, this::loaded);
        execute(() -> loader.loadNextChunk(next -> {
            if (!unloaded) {
                execute(next);
            }
        }));
    }

    /** Forgets everything: this broker no longer leads the partition. Held requests get NOT_COORDINATOR. */
    @Override
    public void unload() {
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
                    GroupMembership.failHeld(member, Errors.NOT_COORDINATOR);
                }
            }
            groups.clear();
            consumerGroups.unload();
        });
    }

    /** Runs {@code operation} on the shard's thread; a failure to queue it answers {@code failure}. */
    @Override
    public <R> CompletableFuture<R> submit(Supplier<CompletableFuture<R>> operation, Function<Errors, R> failure) {
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

    @Override
    public long now() {
        return clock.millis();
    }

    @Override
    public void schedule(Runnable task, long delayMs, Consumer<ScheduledFuture<?>> keep) {
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
        if (entry instanceof ConsumerGroupRecords.GroupEntry || entry instanceof ConsumerGroupRecords.MemberEntry) {
            consumerGroups.replay(entry);
        } else if (entry instanceof GroupRecords.OffsetEntry offset) {
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
            group.members().forEach(member -> membership.scheduleSessionExpiry(group, member));
            if (group.is(GroupState.EMPTY) && group.protocolType().isPresent()) {
                group.emptySince(now);
            }
        }
        consumerGroups.loaded();
        loading = false;
        try {
            long interval = config.offsetsRetentionCheckIntervalMs();
            offsetExpiry = executor.scheduleAtFixedRate(() -> {
                if (!unloaded) {
                    offsets.expireOffsets();
                    consumerGroups.deleteEmptyGroupsWithoutOffsets();
                }
            }, interval, interval, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Coordinator of {} is shut down", log.topicPartition());
        }
        LOG.info("Loaded {} groups from {}", groups.size(), log.topicPartition());
    }

    // ---------------------------------------------------------------- admin

    CompletableFuture<List<ListGroupsResponse.ListedGroup>> listGroups() {
        List<ListGroupsResponse.ListedGroup> listed = new ArrayList<>(consumerGroups.listGroups());
        for (ClassicGroup group : groups.values()) {
            if (consumerGroups.isConsumerGroup(group.groupId())) {
                continue; // only the holder of the consumer group's offsets
            }
            listed.add(new ListGroupsResponse.ListedGroup()
                    .setGroupId(group.groupId())
                    .setProtocolType(group.protocolType().orElse(""))
                    .setGroupState(group.state().wireName())
                    .setGroupType("classic"));
        }
        return CompletableFuture.completedFuture(listed);
    }

    /** This shard's part of the GroupMetadataManager gauges; on its thread. */
    CompletableFuture<List<GroupCounts>> counts() {
        Map<GroupState, Integer> classic = new EnumMap<>(GroupState.class);
        long committed = 0;
        for (ClassicGroup group : groups.values()) {
            committed += group.offsets().size();
            if (!consumerGroups.isConsumerGroup(group.groupId())) {
                classic.merge(group.state(), 1, Integer::sum);
            }
        }
        return CompletableFuture.completedFuture(List.of(new GroupCounts(classic, committed)));
    }

    public CompletableFuture<Optional<DescribeGroupsResponse.DescribedGroup>> describe(String groupId) {
        if (consumerGroups.isConsumerGroup(groupId)) {
            // Kafka answers DescribeGroups only for classic groups; admin clients then use
            // ConsumerGroupDescribe.
            return CompletableFuture.completedFuture(Optional.of(new DescribeGroupsResponse.DescribedGroup()
                    .setGroupId(groupId).setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " is not a classic group.")
                    .setGroupState(GroupState.DEAD.wireName()).setProtocolType("").setProtocolData("")));
        }
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
        if (consumerGroups.hasMembers(groupId)) {
            return CompletableFuture.completedFuture(Errors.NON_EMPTY_GROUP);
        }
        Optional<byte[]> consumerGroupKey = consumerGroups.deletionKey(groupId);
        ClassicGroup group = groups.get(groupId);
        if ((group == null || group.is(GroupState.DEAD)) && consumerGroupKey.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.GROUP_ID_NOT_FOUND);
        }
        if (group != null && !group.is(GroupState.EMPTY) && !group.is(GroupState.DEAD)) {
            return CompletableFuture.completedFuture(Errors.NON_EMPTY_GROUP);
        }
        long now = clock.millis();
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        if (group != null) {
            group.offsets().keySet().forEach(tp -> builder.append(now, GroupRecords.offsetKey(groupId, tp), null));
        }
        builder.append(now, GroupRecords.groupKey(groupId), null);
        consumerGroupKey.ifPresent(key -> builder.append(now, key, null));
        return append(builder.build()).thenApply(error -> {
            if (error == Errors.NONE) {
                if (group != null) {
                    group.transitionTo(GroupState.DEAD);
                    groups.remove(groupId);
                }
                consumerGroups.deleted(groupId);
            }
            return error;
        });
    }

    // ---------------------------------------------------------------- writing

    /**
     * Appends to the shard's partition with acks=all and answers on the shard's thread; the
     * state change that the records describe is applied by the caller once they are written.
     * Storage failures become the coordinator errors clients retry on.
     */
    @Override
    public CompletableFuture<Errors> append(MemoryRecords records) {
        return written(() -> log.append(records), false);
    }

    /** As {@link #append}, for a producer's transactional batch: epoch errors reach the producer as they are. */
    @Override
    public CompletableFuture<Errors> appendTransactional(MemoryRecords records) {
        return written(() -> log.appendTransactional(records), true);
    }

    private CompletableFuture<Errors> written(Supplier<CompletableFuture<?>> write, boolean transactional) {
        CompletableFuture<Errors> written = new CompletableFuture<>();
        CompletableFuture<?> append;
        try {
            append = write.get();
        } catch (RuntimeException e) {
            append = CompletableFuture.failedFuture(e);
        }
        append.whenComplete((outcome, failure) -> {
            Errors error = failure == null ? Errors.NONE
                    : toCoordinatorError(ErrorMapper.toError(failure), transactional);
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

    private static Errors toCoordinatorError(Errors error, boolean transactional) {
        if (transactional && (error == Errors.INVALID_PRODUCER_EPOCH || error == Errors.INVALID_TXN_STATE)) {
            return error;
        }
        return switch (error) {
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            default -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }
}
