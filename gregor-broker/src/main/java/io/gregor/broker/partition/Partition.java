package io.gregor.broker.partition;

import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.purgatory.Purgatory;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A partition this broker leads: its log, its leader epoch, and the link to the fetches parked
 * on it. This broker is the partition's only replica, so the in-sync replica set is the leader
 * alone and whatever is appended is committed at once: the high watermark follows the log end
 * offset. Replication will make the two differ; they are already kept apart here.
 *
 * <p>Thread-safety: appends are serialized by the log's lock; the high watermark only ever
 * moves forward, under this object's monitor. Reads take no lock.
 */
public final class Partition {
    /** ListOffsets' special timestamps. */
    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    static final long EARLIEST_LOCAL = -4;
    static final long LATEST_TIERED = -5;
    /** "No epoch given" in requests that carry a current leader epoch. */
    private static final int NO_EPOCH = -1;
    private static final int IN_SYNC_REPLICAS = 1;

    private final TopicPartition topicPartition;
    private final UUID topicId;
    private final PartitionLog log;
    private final Purgatory<TopicPartition> fetchPurgatory;
    private volatile int leaderEpoch;

    public Partition(TopicPartition topicPartition, UUID topicId, int leaderEpoch, PartitionLog log,
                     Purgatory<TopicPartition> fetchPurgatory) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.leaderEpoch = leaderEpoch;
        this.log = log;
        this.fetchPurgatory = fetchPurgatory;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public UUID topicId() {
        return topicId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    void updateLeaderEpoch(int epoch) {
        this.leaderEpoch = epoch;
    }

    PartitionLog log() {
        return log;
    }

    /**
     * Appends a producer's batches. With acks=-1 the topic's {@code min.insync.replicas} must be
     * met by the in-sync replicas, or nothing is written (NOT_ENOUGH_REPLICAS).
     */
    public CompletableFuture<AppendOutcome> appendAsLeader(MemoryRecords records, short acks) {
        if (acks == -1 && IN_SYNC_REPLICAS < log.config().minInSyncReplicas()) {
            throw new ApiException(Errors.NOT_ENOUGH_REPLICAS, "The in-sync replicas of " + topicPartition
                    + " (" + IN_SYNC_REPLICAS + ") are fewer than min.insync.replicas ("
                    + log.config().minInSyncReplicas() + ")");
        }
        LogAppendInfo info = log.append(records, AppendContext.leader(leaderEpoch));
        if (!info.duplicate()) { // a duplicate wrote nothing: its original append already moved the HW
            advanceHighWatermark(info.lastOffset() + 1);
            fetchPurgatory.wake(topicPartition);
        }
        return CompletableFuture.completedFuture(new AppendOutcome(
                Errors.NONE, info.firstOffset(), info.logAppendTime(), info.logStartOffset()));
    }

    /**
     * Appends batches the broker writes on the leader for a coordinator (a transaction marker, a
     * transactional offset commit; see {@link AppendContext#coordinator}). The future completes
     * once the batches are committed ({@link #committed}).
     */
    public CompletableFuture<LogAppendInfo> appendAsCoordinator(MemoryRecords records) {
        LogAppendInfo info = log.append(records, AppendContext.coordinator(leaderEpoch));
        advanceHighWatermark(info.lastOffset() + 1);
        fetchPurgatory.wake(topicPartition);
        return committed(info.lastOffset()).thenApply(ignored -> info);
    }

    /**
     * Completes once the high watermark is past {@code offset}: the one place that waits for the
     * in-sync replicas. The leader is the only replica, so that is at once.
     */
    private CompletableFuture<Void> committed(long offset) {
        return CompletableFuture.completedFuture(null);
    }

    private synchronized void advanceHighWatermark(long offset) {
        if (offset > log.highWatermark()) {
            log.updateHighWatermark(offset);
        }
    }

    /**
     * Reads for a consumer: whole batches from {@code fetchOffset}, below the high watermark for
     * read_uncommitted, below the last stable offset for read_committed, which also gets the
     * aborted transactions overlapping what it may read, to skip their batches.
     */
    public ReadOutcome read(long fetchOffset, int maxBytes, boolean minOneMessage, int currentLeaderEpoch,
                            boolean readCommitted) {
        Errors epochError = checkLeaderEpoch(currentLeaderEpoch);
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

    /** The first offset still in the log; where a replay of the partition starts. */
    public long logStartOffset() {
        return log.logStartOffset();
    }

    /** FENCED_LEADER_EPOCH for a client behind us, UNKNOWN_LEADER_EPOCH for one ahead of us. */
    public Errors checkLeaderEpoch(int currentLeaderEpoch) {
        if (currentLeaderEpoch == NO_EPOCH || currentLeaderEpoch == leaderEpoch) {
            return Errors.NONE;
        }
        return currentLeaderEpoch < leaderEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }

    /** ListOffsets for one partition: read_committed clients see up to the last stable offset. */
    public OffsetLookup lookupOffset(long timestamp, boolean readCommitted) {
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
        return offset < 0 ? leaderEpoch : log.leaderEpochFor(offset).orElse(leaderEpoch);
    }

    /** DeleteRecords; -1 means up to the high watermark. Returns the new log start offset. */
    public long deleteRecordsBefore(long offset) {
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
