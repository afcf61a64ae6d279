package io.gregor.broker.partition;

import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.replication.InSyncReplicas;
import io.gregor.broker.replication.IsrChange;
import io.gregor.broker.replication.IsrChangeChannel;
import io.gregor.broker.replication.ReadReplica;
import io.gregor.broker.replication.ReplicaSelector;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.storage.epoch.EpochEndOffset;
import io.gregor.storage.log.AppendContext;
import io.gregor.storage.log.FetchDataInfo;
import io.gregor.storage.log.LogAppendInfo;
import io.gregor.storage.log.PartitionLog;
import io.gregor.storage.log.TimestampAndOffset;
import io.gregor.storage.producer.ProducerStateEntry;
import io.gregor.storage.txn.AbortedTxn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition hosted on this broker, as its leader or as a follower.
 *
 * <p>As leader it takes produces, answers consumers below the high watermark and followers below
 * its log end offset, and keeps the in-sync replica set ({@link InSyncReplicas}): each follower
 * fetch moves that follower's log end offset, which may advance the high watermark (waking the
 * acks=all produces and the consumer fetches waiting on this partition) or bring the follower
 * back into the ISR. ISR changes go to the controller through the {@link IsrChangeChannel}; the
 * committed ISR comes back in its answer or in the metadata image, whichever arrives first. With
 * one replica the ISR is the leader alone, and the high watermark follows the log end offset at
 * once.
 *
 * <p>As follower it refuses clients (NOT_LEADER_OR_FOLLOWER) and is written only by the replica
 * fetcher, which appends the leader's batches as they came and takes the leader's high
 * watermark.
 *
 * <p>Thread-safety: appends are serialized by the log's lock. The role, the ISR state and the
 * high watermark change under this object's monitor; the lock order is monitor, then log lock,
 * never the other way. Reads take neither.
 */
public final class Partition {
    /** ListOffsets' special timestamps. */
    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    static final long EARLIEST_LOCAL = -4;
    static final long LATEST_TIERED = -5;
    /**
     * How long a coordinator's write (group state, offsets, transaction markers) waits for the
     * ISR: Kafka's {@code offsets.commit.timeout.ms} default.
     */
    public static final long COORDINATOR_COMMIT_TIMEOUT_MS = 5_000;
    /** "No epoch given" in requests that carry a current leader epoch. */
    private static final int NO_EPOCH = -1;
    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

    private final TopicPartition topicPartition;
    private final UUID topicId;
    private final PartitionLog log;
    private final PartitionEnvironment env;
    private final int localId;
    /** The partition as the metadata last described it: leader, epochs, replicas, ISR. */
    private volatile PartitionImage state;
    private volatile boolean leader;
    /** Leader only, under the monitor: the followers' progress and the ISR. */
    private InSyncReplicas replicas;
    /** Leader only: the log end offset when this broker became leader of the current epoch. */
    private long leaderEpochStartOffset;
    /** Counts ISR proposals, so that a late answer does not settle a newer one. */
    private int isrProposals;

    public Partition(TopicPartition topicPartition, UUID topicId, PartitionLog log, PartitionEnvironment env) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.env = env;
        this.localId = env.localBrokerId();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public UUID topicId() {
        return topicId;
    }

    public int leaderEpoch() {
        return state.leaderEpoch();
    }

    public boolean isLeader() {
        return leader;
    }

    /** The ISR as the leader knows it (committed by the controller); the image's on a follower. */
    public synchronized List<Integer> inSyncReplicas() {
        return leader ? replicas.isr() : state.isr();
    }

    PartitionLog log() {
        return log;
    }

    /** Whether reading from {@code offset} starts in the segment being written (see PartitionLog#isInActiveSegment). */
    public boolean readsFromActiveSegment(long offset) {
        return log.isInActiveSegment(offset);
    }

    /**
     * Whether this leader throttles what it sends to {@code replicaId}: the topic lists this
     * partition on this broker in leader.replication.throttled.replicas, and the follower is not
     * in the ISR (as in Kafka, replicas in sync are never throttled).
     */
    public boolean leaderThrottles(int replicaId) {
        return log.config().leaderReplicationThrottled(topicPartition.partition(), localId)
                && !inSyncReplicas().contains(replicaId);
    }

    /**
     * Whether this follower throttles its fetches: the topic lists this partition on this broker
     * in follower.replication.throttled.replicas, and this replica is not in the ISR.
     */
    public boolean followerThrottled() {
        return log.config().followerReplicationThrottled(topicPartition.partition(), localId)
                && !inSyncReplicas().contains(localId);
    }

    /** Whether this broker leads the partition and fewer of its replicas are in sync than it has. */
    public synchronized boolean isUnderReplicated() {
        return leader && replicas.isr().size() < state.replicas().size();
    }

    /** Whether this broker leads the partition and fewer of its replicas are in sync than min.insync.replicas. */
    public synchronized boolean isUnderMinIsr() {
        return leader && replicas.isr().size() < log.config().minInSyncReplicas();
    }

    /** Whether the partition has other replicas than this broker's. */
    public boolean isReplicated() {
        return state.replicas().size() > 1;
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    public long highWatermark() {
        return log.highWatermark();
    }

    public long lastStableOffset() {
        return log.lastStableOffset();
    }

    /**
     * Takes the metadata's state of this partition, which names this broker leader. A new leader
     * epoch starts the follower bookkeeping afresh (every ISR member counts as caught up now)
     * and records the epoch's start offset in the leader-epoch cache; a new partition epoch
     * under the same leader epoch is an ISR (or, with a reassignment, replica set) change being
     * committed. Returns whether the leader
     * epoch is new here.
     */
    public boolean makeLeader(PartitionImage image) {
        boolean newEpoch;
        synchronized (this) {
            newEpoch = !leader || state == null || image.leaderEpoch() > state.leaderEpoch();
            state = image;
            if (newEpoch) {
                leader = true;
                leaderEpochStartOffset = log.logEndOffset();
                replicas = new InSyncReplicas(localId, image.replicas(), image.isr(), image.partitionEpoch(),
                        env.clock().millis());
                // An empty log gets its first epoch entry with its first append: writing it now would
                // cost a checkpoint fsync per partition, 1,000 of them when a 1,000-partition topic is made.
                if (leaderEpochStartOffset > 0) {
                    log.leaderEpochCache().assign(image.leaderEpoch(), leaderEpochStartOffset);
                }
            } else {
                replicas.committed(image.replicas(), image.isr(), image.partitionEpoch());
            }
        }
        maybeAdvanceHighWatermark();
        return newEpoch;
    }

    /**
     * Takes the metadata's state of this partition, which names another broker (or none) leader.
     * Produces waiting for the ISR fail with NOT_LEADER_OR_FOLLOWER and parked fetches answer.
     * Returns whether the leader or its epoch changed, which means the replica fetcher must
     * (re)start from a truncation.
     */
    public boolean makeFollower(PartitionImage image) {
        boolean changed;
        synchronized (this) {
            changed = leader || state == null || image.leaderEpoch() != state.leaderEpoch()
                    || image.leader() != state.leader();
            state = image;
            leader = false;
            replicas = null;
        }
        if (changed) {
            env.producePurgatory().wake(topicPartition);
            env.fetchPurgatory().wake(topicPartition);
        }
        return changed;
    }

    /** The partition leaves this broker: whatever waits on it answers now. */
    public void stop() {
        synchronized (this) {
            leader = false;
            replicas = null;
        }
        env.producePurgatory().wake(topicPartition);
        env.fetchPurgatory().wake(topicPartition);
    }

    /**
     * Appends a producer's batches. With acks=-1 the ISR must be at least the topic's
     * {@code min.insync.replicas} or nothing is written (NOT_ENOUGH_REPLICAS), and the future
     * completes once the ISR has the batches, or fails with NOT_ENOUGH_REPLICAS_AFTER_APPEND when
     * they are committed by fewer replicas than that, with REQUEST_TIMED_OUT after
     * {@code timeoutMs}, or with NOT_LEADER_OR_FOLLOWER when leadership moves meanwhile.
     */
    public CompletableFuture<AppendOutcome> appendAsLeader(MemoryRecords records, short acks, long timeoutMs) {
        int epoch = checkLeaderForAppend(acks == -1);
        LogAppendInfo info = log.append(records, AppendContext.leader(epoch));
        AppendOutcome outcome = new AppendOutcome(
                Errors.NONE, info.firstOffset(), info.logAppendTime(), info.logStartOffset());
        if (!info.duplicate()) { // a duplicate wrote nothing: its original append already moved the HW
            env.meters().topics().appended(topicPartition.topic(), info.recordCount(), records.sizeInBytes());
            maybeAdvanceHighWatermark();
            env.fetchPurgatory().wake(topicPartition);
        }
        if (acks != -1) {
            return CompletableFuture.completedFuture(outcome);
        }
        return committed(info.lastOffset() + 1, epoch, timeoutMs).thenApply(ignored -> outcome);
    }

    /**
     * Appends batches the broker writes on the leader for a coordinator (a transaction marker, a
     * transactional offset commit; see {@link AppendContext#coordinator}). The future completes
     * once the batches are committed, as for an acks=all produce.
     */
    public CompletableFuture<LogAppendInfo> appendAsCoordinator(MemoryRecords records) {
        int epoch = checkLeaderForAppend(true);
        LogAppendInfo info = log.append(records, AppendContext.coordinator(epoch));
        maybeAdvanceHighWatermark();
        env.fetchPurgatory().wake(topicPartition);
        return committed(info.lastOffset() + 1, epoch, COORDINATOR_COMMIT_TIMEOUT_MS).thenApply(ignored -> info);
    }

    /** The leader epoch to append under; refuses followers, and acks=all below min.insync.replicas. */
    private synchronized int checkLeaderForAppend(boolean needsMinIsr) {
        if (!leader) {
            throw notLeader();
        }
        int minIsr = log.config().minInSyncReplicas();
        if (needsMinIsr && replicas.isr().size() < minIsr) {
            throw new ApiException(Errors.NOT_ENOUGH_REPLICAS, "The in-sync replicas of " + topicPartition
                    + " (" + replicas.isr() + ") are fewer than min.insync.replicas (" + minIsr + ")");
        }
        return state.leaderEpoch();
    }

    private ApiException notLeader() {
        return new ApiException(Errors.NOT_LEADER_OR_FOLLOWER, "This broker does not lead " + topicPartition
                + "; the leader is " + state.leader());
    }

    /**
     * Completes once the high watermark reaches {@code requiredOffset}: the one place that waits
     * for the in-sync replicas. Checked at once first, so with one replica nothing is parked.
     */
    private CompletableFuture<Void> committed(long requiredOffset, int epoch, long timeoutMs) {
        Optional<Errors> now = commitOutcome(requiredOffset, epoch);
        if (now.isPresent()) {
            return now.get() == Errors.NONE ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new ApiException(now.get(), "The append to " + topicPartition
                            + " was not acknowledged by enough in-sync replicas: " + now.get()));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs));
        env.producePurgatory().tryCompleteElseWatch(
                new DelayedProduce(this, requiredOffset, epoch, deadline, done), List.of(topicPartition));
        return done;
    }

    /**
     * Whether an append under {@code epoch} ending before {@code requiredOffset} is settled: NONE
     * when the high watermark covers it and the ISR meets min.insync.replicas,
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND when it is covered by a smaller ISR, NOT_LEADER_OR_FOLLOWER
     * when the epoch is over; empty while it waits.
     */
    synchronized Optional<Errors> commitOutcome(long requiredOffset, int epoch) {
        if (!leader || state.leaderEpoch() != epoch) {
            return Optional.of(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (log.highWatermark() < requiredOffset) {
            return Optional.empty();
        }
        return Optional.of(replicas.isr().size() >= log.config().minInSyncReplicas()
                ? Errors.NONE : Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    }

    /**
     * Moves the high watermark to the lowest log end offset over the ISR when that is higher,
     * and wakes what waits for it: acks=all produces and consumer fetches.
     */
    private void maybeAdvanceHighWatermark() {
        boolean advanced;
        synchronized (this) {
            if (!leader) {
                return;
            }
            long candidate = replicas.highWatermark(log.logEndOffset());
            advanced = candidate > log.highWatermark();
            if (advanced) {
                log.updateHighWatermark(candidate);
            }
        }
        if (advanced) {
            env.producePurgatory().wake(topicPartition);
            env.fetchPurgatory().wake(topicPartition);
        }
    }

    /**
     * A follower's fetch reached the leader: records how far the follower is, which may advance
     * the high watermark or bring the follower back into the ISR. Errors for a stale or unknown
     * follower: NOT_LEADER_OR_FOLLOWER when this broker does not lead, FENCED_LEADER_EPOCH or
     * UNKNOWN_LEADER_EPOCH for an epoch mismatch.
     */
    public Errors onFollowerFetch(int replicaId, long fetchOffset, int currentLeaderEpoch) {
        Optional<IsrChange> expansion;
        synchronized (this) {
            if (!leader) {
                return Errors.NOT_LEADER_OR_FOLLOWER;
            }
            Errors epochError = checkLeaderEpoch(currentLeaderEpoch);
            if (epochError != Errors.NONE) {
                return epochError;
            }
            long logEnd = log.logEndOffset();
            if (fetchOffset > logEnd) {
                // A follower with a tail this leader lacks: the read answers OFFSET_OUT_OF_RANGE and it
                // truncates. Counting that offset would let the high watermark pass what it has.
                return Errors.OFFSET_OUT_OF_RANGE;
            }
            if (!replicas.onFollowerFetch(replicaId, fetchOffset, logEnd, env.clock().millis())) {
                return Errors.NOT_LEADER_OR_FOLLOWER; // not a replica of this partition
            }
            // A fenced follower may catch up, but the controller refuses it in the ISR
            // (INELIGIBLE_REPLICA): asking on each of its fetches would only flood the controller.
            expansion = replicas.expansionFor(replicaId, log.highWatermark(), leaderEpochStartOffset)
                    .filter(grown -> env.isrEligible().test(replicaId))
                    .map(this::propose);
        }
        maybeAdvanceHighWatermark();
        expansion.ifPresent(this::send);
        return Errors.NONE;
    }

    /**
     * Drops from the ISR the followers not caught up for longer than {@code maxLagMs}; called
     * periodically on the leader.
     */
    public void maybeShrinkIsr(long maxLagMs) {
        Optional<IsrChange> shrink;
        synchronized (this) {
            if (!leader) {
                return;
            }
            shrink = replicas.shrinkage(env.clock().millis(), maxLagMs, log.logEndOffset()).map(this::propose);
        }
        shrink.ifPresent(this::send);
    }

    /** Under the monitor: marks the change in flight. */
    private IsrChange propose(List<Integer> newIsr) {
        replicas.propose(newIsr);
        isrProposals++;
        return new IsrChange(topicId, topicPartition.partition(), localId, state.leaderEpoch(),
                replicas.partitionEpoch(), newIsr);
    }

    private void send(IsrChange change) {
        int proposal;
        int isrBefore;
        synchronized (this) {
            proposal = isrProposals;
            isrBefore = replicas.isr().size();
        }
        LOG.info("Proposing ISR {} for {} (was {})", change.newIsr(), topicPartition, state.isr());
        env.isrChanges().alterPartition(change).whenComplete((committed, failure) -> {
            synchronized (this) {
                if (!leader || state.leaderEpoch() != change.leaderEpoch()) {
                    return;
                }
                if (failure != null) {
                    LOG.info("ISR change {} for {} refused: {}", change.newIsr(), topicPartition,
                            ErrorMapper.toError(failure));
                    if (proposal == isrProposals) {
                        replicas.proposalFailed();
                    }
                    return;
                }
                if (committed.isr().equals(change.newIsr())) {
                    // whether the metadata brought the committed ISR first or not
                    env.meters().isrChanges().committed(isrBefore, committed.isr().size());
                }
                boolean applied = replicas.committed(committed.isr(), committed.partitionEpoch());
                if (!applied && proposal == isrProposals) {
                    // Already known from the metadata, or the controller found nothing to change.
                    replicas.proposalFailed();
                }
            }
            maybeAdvanceHighWatermark();
        });
    }

    /**
     * Whether this leader's high watermark {@code highWatermark} is news to the follower: higher
     * than in any answer sent to it in this leader epoch. Its fetch is then answered at once,
     * data or not, so that followers serving consumers (KIP-392) learn the high watermark without
     * waiting for more records or {@code replica.fetch.wait.max.ms}.
     */
    public synchronized boolean isHighWatermarkNewTo(int replicaId, long highWatermark) {
        return leader && replicas.isHighWatermarkNewTo(replicaId, highWatermark);
    }

    /** An answer to a follower's fetch carrying {@code highWatermark} is going out. */
    public synchronized void highWatermarkSent(int replicaId, long highWatermark) {
        if (leader) {
            replicas.highWatermarkSent(replicaId, highWatermark);
        }
    }

    /** Reads for a follower: up to the log end offset, not the high watermark. */
    public ReadOutcome readForFollower(long fetchOffset, int maxBytes, boolean minOneMessage, int currentLeaderEpoch) {
        Errors error = leader ? checkLeaderEpoch(currentLeaderEpoch) : Errors.NOT_LEADER_OR_FOLLOWER;
        if (error != Errors.NONE) {
            return ReadOutcome.failed(error);
        }
        try {
            FetchDataInfo data = log.read(fetchOffset, maxBytes, Long.MAX_VALUE, minOneMessage);
            return new ReadOutcome(Errors.NONE, data.records(), data.highWatermark(), log.lastStableOffset(),
                    data.logStartOffset(), null);
        } catch (RuntimeException e) {
            return new ReadOutcome(ErrorMapper.toError(e), MemoryRecords.EMPTY, log.highWatermark(),
                    log.lastStableOffset(), log.logStartOffset(), null);
        }
    }

    /**
     * A follower appends what it fetched from the leader: batches as they came, offsets and
     * epochs kept; the producer state and the leader-epoch cache follow the batches.
     */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        if (leader) {
            throw new ApiException(Errors.NOT_LEADER_OR_FOLLOWER, "This broker leads " + topicPartition
                    + " and does not take replicated batches");
        }
        LogAppendInfo info = log.append(records, AppendContext.replication());
        env.meters().topics().replicationBytesIn(records.sizeInBytes());
        return info;
    }

    /**
     * A follower takes the leader's high watermark, bounded by its own log end offset. When it
     * moves up, consumer fetches parked on this follower (KIP-392) may now read more.
     */
    public void updateFollowerHighWatermark(long leaderHighWatermark) {
        long before = log.highWatermark();
        log.updateHighWatermark(Math.min(leaderHighWatermark, log.logEndOffset()));
        if (log.highWatermark() > before) {
            env.fetchPurgatory().wake(topicPartition);
        }
    }

    /**
     * A follower moves its log start up to the leader's (records deleted there by retention or
     * DeleteRecords), as far as it has committed records.
     */
    public void followLogStartOffset(long leaderLogStartOffset) {
        long target = Math.min(leaderLogStartOffset, log.highWatermark());
        if (target > log.logStartOffset()) {
            log.deleteRecordsBefore(target);
        }
    }

    /** A follower drops its log from {@code offset} on (a divergent tail, found by OffsetForLeaderEpoch). */
    public void truncateTo(long offset) {
        log.truncateTo(offset);
    }

    /** A follower behind the leader's log start restarts its log there. */
    public void truncateFullyAndStartAt(long offset) {
        log.truncateFullyAndStartAt(offset);
    }

    /** The latest leader epoch in this replica's log, if any batch has one. */
    public Optional<Integer> latestEpoch() {
        return log.leaderEpochCache().latestEpoch();
    }

    /**
     * Reads for a consumer: whole batches from {@code fetchOffset}, below the high watermark for
     * read_uncommitted, below the last stable offset for read_committed, which also gets the
     * aborted transactions overlapping what it may read, to skip their batches. A follower serves
     * consumers that may read followers ({@code followerAllowed}: Fetch v11+, KIP-392) while it is
     * in the ISR, up to the high watermark it learned from the leader; an offset past its log end
     * is OFFSET_OUT_OF_RANGE, which sends the consumer back to the leader.
     */
    public ReadOutcome read(long fetchOffset, int maxBytes, boolean minOneMessage, int currentLeaderEpoch,
                            boolean readCommitted, boolean followerAllowed) {
        Errors epochError = consumerReadError(currentLeaderEpoch, followerAllowed);
        if (epochError != Errors.NONE) {
            return ReadOutcome.failed(epochError);
        }
        long lastStableOffset = log.lastStableOffset(); // before the HW: never above it
        try {
            long bound = readCommitted ? lastStableOffset : log.highWatermark();
            FetchDataInfo data = log.read(fetchOffset, maxBytes, bound, minOneMessage);
            List<AbortedTxn> aborted = readCommitted && !data.isEmpty()
                    ? log.abortedTransactions(fetchOffset, bound) : List.of();
            return new ReadOutcome(Errors.NONE, data.records(), data.highWatermark(), lastStableOffset,
                    data.logStartOffset(), readCommitted ? aborted : null);
        } catch (RuntimeException e) {
            Errors error = ErrorMapper.toError(e);
            return new ReadOutcome(error, MemoryRecords.EMPTY, log.highWatermark(), lastStableOffset,
                    log.logStartOffset(), null);
        }
    }

    /**
     * Reads for a coordinator loading its state here: whole batches from {@code fetchOffset} up to
     * the log end, not the high watermark. Right after a leader change the new leader's high
     * watermark lags its log end until the followers fetch again, and the records in between are
     * the newest coordinator state (a partition just added to a transaction, an offset just
     * committed); this log is now the one the followers truncate to, so it is what to load.
     */
    public ReadOutcome readToLogEnd(long fetchOffset, int maxBytes) {
        if (!leader) {
            return ReadOutcome.failed(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        try {
            FetchDataInfo data = log.read(fetchOffset, maxBytes, log.logEndOffset(), true);
            return new ReadOutcome(Errors.NONE, data.records(), data.highWatermark(), log.lastStableOffset(),
                    data.logStartOffset(), null);
        } catch (RuntimeException e) {
            return new ReadOutcome(ErrorMapper.toError(e), MemoryRecords.EMPTY, log.highWatermark(),
                    log.lastStableOffset(), log.logStartOffset(), null);
        }
    }

    /** The first offset still in the log; where a replay of the partition starts. */
    public long logStartOffset() {
        return log.logStartOffset();
    }

    /**
     * Whether a consumer may read this replica: the leader always; a follower only when
     * {@code followerAllowed} and while the metadata has it in the ISR, since a follower out of
     * sync may be far behind (NOT_LEADER_OR_FOLLOWER makes the consumer ask the leader again).
     * Then the leader epoch the consumer knows must be this replica's.
     */
    private Errors consumerReadError(int currentLeaderEpoch, boolean followerAllowed) {
        PartitionImage current = state;
        if (current == null || !(leader || followerAllowed && current.isr().contains(localId))) {
            return Errors.NOT_LEADER_OR_FOLLOWER;
        }
        return checkLeaderEpoch(currentLeaderEpoch);
    }

    /**
     * KIP-392: where a consumer in {@code clientRack} that fetches from {@code fetchOffset} should
     * read this partition, as {@code selector} chooses among this leader and the followers in the
     * ISR that have that offset; empty when it reads here, or when this broker does not lead.
     */
    public OptionalInt preferredReadReplica(ReplicaSelector selector, String clientRack, long fetchOffset,
                                            IntFunction<Optional<String>> rackOf) {
        ReadReplica self;
        List<ReadReplica> followers = new ArrayList<>();
        synchronized (this) {
            if (!leader) {
                return OptionalInt.empty();
            }
            self = new ReadReplica(localId, rackOf.apply(localId), log.logEndOffset(), env.clock().millis());
            for (int replica : replicas.isr()) {
                long logEnd = replicas.followerLogEndOffset(replica);
                if (replica != localId && logEnd >= fetchOffset) {
                    followers.add(new ReadReplica(replica, rackOf.apply(replica), logEnd,
                            replicas.followerLastCaughtUpTimeMs(replica)));
                }
            }
        }
        int chosen = selector.select(clientRack, self, followers).brokerId();
        return chosen == localId ? OptionalInt.empty() : OptionalInt.of(chosen);
    }

    /** FENCED_LEADER_EPOCH for a client behind us, UNKNOWN_LEADER_EPOCH for one ahead of us. */
    public Errors checkLeaderEpoch(int currentLeaderEpoch) {
        int leaderEpoch = state.leaderEpoch();
        if (currentLeaderEpoch == NO_EPOCH || currentLeaderEpoch == leaderEpoch) {
            return Errors.NONE;
        }
        return currentLeaderEpoch < leaderEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }

    /**
     * ListOffsets for one partition: read_committed clients see up to the last stable offset.
     * Right after this broker became leader its high watermark may still be below where its epoch
     * started, lower than what the previous leader (or a follower serving consumers) showed; until
     * the followers' fetches move it there, every lookup but the earliest offset is
     * OFFSET_NOT_AVAILABLE, which clients retry, so that no consumer sees the latest offset go back
     * (KIP-392).
     */
    public OffsetLookup lookupOffset(long timestamp, boolean readCommitted) {
        long epochStart;
        synchronized (this) {
            if (!leader) {
                throw notLeader();
            }
            epochStart = leaderEpochStartOffset;
        }
        if (timestamp != EARLIEST && timestamp != EARLIEST_LOCAL && log.highWatermark() < epochStart) {
            throw new ApiException(Errors.OFFSET_NOT_AVAILABLE, "The high watermark of " + topicPartition + " ("
                    + log.highWatermark() + ") has not reached the start of leader epoch " + state.leaderEpoch()
                    + " (" + epochStart + ") yet");
        }
        long visibleEnd = readCommitted ? log.lastStableOffset() : log.highWatermark();
        if (timestamp == LATEST) {
            return new OffsetLookup(visibleEnd, -1, epochAt(visibleEnd - 1));
        }
        if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
            long start = log.logStartOffset();
            return new OffsetLookup(start, -1, epochAt(start));
        }
        if (timestamp == LATEST_TIERED) {
            return OffsetLookup.NOT_FOUND;
        }
        Optional<TimestampAndOffset> found = timestamp == MAX_TIMESTAMP
                ? log.offsetOfMaxTimestamp()
                : log.fetchOffsetByTimestamp(timestamp);
        return found.filter(f -> f.offset() < visibleEnd)
                .map(f -> new OffsetLookup(f.offset(), f.timestamp(), epochAt(f.offset())))
                .orElse(OffsetLookup.NOT_FOUND);
    }

    private int epochAt(long offset) {
        int leaderEpoch = state.leaderEpoch();
        return offset < 0 ? leaderEpoch : log.leaderEpochFor(offset).orElse(leaderEpoch);
    }

    /** DeleteRecords; -1 means up to the high watermark. Returns the new log start offset. */
    public long deleteRecordsBefore(long offset) {
        if (!leader) {
            throw notLeader();
        }
        long target = offset == -1 ? log.highWatermark() : offset;
        if (target < 0) {
            throw new ApiException(Errors.OFFSET_OUT_OF_RANGE, "Cannot delete records before offset " + offset);
        }
        return log.deleteRecordsBefore(target);
    }

    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return log.endOffsetForEpoch(epoch);
    }

    /** What this partition knows of each producer (DescribeProducers). */
    public List<ProducerStateEntry> producerStates() {
        return log.producerStates();
    }

    public long sizeInBytes() {
        return log.sizeInBytes();
    }
}
