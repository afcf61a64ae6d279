package io.gregor.broker.replication;

import io.gregor.broker.partition.Partition;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.FetchRequest;
import io.gregor.protocol.message.FetchResponse;
import io.gregor.protocol.message.OffsetForLeaderEpochRequest;
import io.gregor.protocol.message.OffsetForLeaderEpochResponse;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.storage.epoch.EpochEndOffset;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that copies every partition this broker follows from one leader: one Fetch request
 * for all of them at a time, carrying this broker's id as the replica id so that the leader
 * counts it as a follower and reads past its high watermark. The fetches are incremental, in a
 * fetch session with the leader ({@link FollowerFetchSession}): after the first, a request lists
 * only the partitions whose fetch offset changed, and the answer only those with news.
 *
 * <p>A partition added here (a new leader, or a new leader epoch) first truncates: the fetcher
 * asks the leader (OffsetForLeaderEpoch) where this replica's latest epoch ends in the leader's
 * log, and cuts its own log there, dropping a tail the old leader wrote but never committed.
 * Then it fetches from its log end offset; batches are appended as they came (offsets, epochs,
 * producer ids kept) and the leader's high watermark is taken. A partition that fails (the
 * leader moved, an epoch mismatch, a network error) waits {@code replica.fetch.backoff.ms}
 * before it is asked for again; the metadata moves it to its new leader meanwhile.
 *
 * <p>Thread-safety: the partition states are guarded by {@code lock}; a response is applied
 * under it too, so that once {@link #remove} returns, no append of this fetcher to that
 * partition is in progress or will happen (the partition may become leader right after).
 */
final class ReplicaFetcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    private static final UUID UUID_ZERO = new UUID(0, 0);
    /** How long throttled partitions wait before the follower checks its exceeded quota again. */
    private static final long THROTTLE_RECHECK_MS = 50;
    /** How long a request may take beyond the leader's wait before the fetcher gives up on it. */
    private static final long REQUEST_TIMEOUT_MS = 30_000;

    private final int localId;
    private final int leaderId;
    private final LeaderEndpoint endpoint;
    private final ReplicationConfig config;
    private final ReplicationQuota followerQuota;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<TopicPartition, FetchState> partitions = new LinkedHashMap<>();
    private final FollowerFetchSession session;
    private final Thread thread;
    private volatile boolean running = true;
    /** The request waited for, so that {@link #close} can end the wait without an interrupt. */
    private volatile CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);

    /** One followed partition: where to fetch from, under which leader epoch. */
    private static final class FetchState {
        final Partition partition;
        final int leaderEpoch;
        boolean truncating = true;
        long delayedUntilMs;

        FetchState(Partition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
        }
    }

    ReplicaFetcher(int localId, int leaderId, LeaderEndpoint endpoint, ReplicationConfig config,
                   ReplicationQuota followerQuota, Clock clock) {
        this.followerQuota = followerQuota;
        this.localId = localId;
        this.leaderId = leaderId;
        this.endpoint = endpoint;
        this.config = config;
        this.clock = clock;
        this.session = new FollowerFetchSession(leaderId);
        this.thread = new Thread(this::run, "gregor-replica-fetcher-" + leaderId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Follows {@code partition} under {@code leaderEpoch}, starting with a truncation. */
    void add(Partition partition, int leaderEpoch) {
        lock.lock();
        try {
            partitions.put(partition.topicPartition(), new FetchState(partition, leaderEpoch));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops following; returns once no response is being applied to the partition. */
    void remove(TopicPartition tp) {
        lock.lock();
        try {
            partitions.remove(tp);
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return partitions.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (running) {
            try {
                boolean worked = truncate() | fetch();
                if (!worked) {
                    awaitWork();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Replica fetcher for leader {} failed; backing off", leaderId, e);
                backOffAll();
            }
        }
    }

    /** Waits until a partition is added or the earliest backed-off one is due. */
    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            if (!running) {
                return;
            }
            long now = clock.millis();
            long wait = config.fetchBackoffMs();
            for (FetchState state : partitions.values()) {
                wait = Math.min(wait, Math.max(1, state.delayedUntilMs - now));
            }
            changed.await(wait, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** Sends OffsetForLeaderEpoch for the partitions that must truncate; true if there were any. */
    private boolean truncate() throws InterruptedException {
        Map<TopicPartition, FetchState> due = due(true);
        if (due.isEmpty()) {
            return false;
        }
        Map<String, OffsetForLeaderEpochRequest.OffsetForLeaderTopic> topics = new LinkedHashMap<>();
        Map<TopicPartition, FetchState> asked = new HashMap<>();
        for (Map.Entry<TopicPartition, FetchState> entry : due.entrySet()) {
            FetchState state = entry.getValue();
            Optional<Integer> latestEpoch = state.partition.latestEpoch();
            if (latestEpoch.isEmpty()) {
                // Nothing in this log carries an epoch: it is empty (or wholly from before epochs),
                // and there is nothing to compare; keep what the high watermark says is committed.
                applyTruncation(entry.getKey(), state, state.partition.highWatermark());
                continue;
            }
            topics.computeIfAbsent(entry.getKey().topic(), name -> new OffsetForLeaderEpochRequest.OffsetForLeaderTopic()
                            .setTopic(name))
                    .partitions().add(new OffsetForLeaderEpochRequest.OffsetForLeaderPartition()
                            .setPartition(entry.getKey().partition())
                            .setCurrentLeaderEpoch(state.leaderEpoch)
                            .setLeaderEpoch(latestEpoch.get()));
            asked.put(entry.getKey(), state);
        }
        if (asked.isEmpty()) {
            return true;
        }
        OffsetForLeaderEpochRequest request = new OffsetForLeaderEpochRequest().setReplicaId(localId)
                .setTopics(new ArrayList<>(topics.values()));
        Optional<OffsetForLeaderEpochResponse> response = await(endpoint.offsetForLeaderEpoch(request),
                REQUEST_TIMEOUT_MS);
        if (response.isEmpty()) {
            backOff(asked);
            return true;
        }
        for (OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult topic : response.get().topics()) {
            for (OffsetForLeaderEpochResponse.EpochEndOffset answer : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.topic(), answer.partition());
                FetchState state = asked.get(tp);
                if (state == null) {
                    continue;
                }
                Errors error = Errors.forCode(answer.errorCode());
                if (error != Errors.NONE) {
                    LOG.debug("Leader {} answered {} to the epoch query of {}", leaderId, error, tp);
                    backOff(Map.of(tp, state));
                    continue;
                }
                applyTruncation(tp, state, truncationOffset(state.partition, answer));
            }
        }
        return true;
    }

    /**
     * Where this replica's log diverges from the leader's: the leader says where the largest
     * epoch it has at or below ours ends; we keep no more than that of our own record of that
     * epoch. A leader that knows none of our epochs leaves only the committed part.
     */
    static long truncationOffset(Partition partition, OffsetForLeaderEpochResponse.EpochEndOffset leaderAnswer) {
        if (leaderAnswer.leaderEpoch() < 0 || leaderAnswer.endOffset() < 0) {
            return partition.highWatermark();
        }
        EpochEndOffset ours = partition.endOffsetForEpoch(leaderAnswer.leaderEpoch());
        if (ours.leaderEpoch() < 0) {
            return partition.logStartOffset();
        }
        return Math.min(leaderAnswer.endOffset(), ours.endOffset());
    }

    private void applyTruncation(TopicPartition tp, FetchState state, long offset) {
        lock.lock();
        try {
            if (partitions.get(tp) != state) {
                return; // removed or re-added meanwhile
            }
            if (offset < state.partition.logEndOffset()) {
                LOG.info("Truncating {} from {} to {} to follow leader {} at epoch {}", tp,
                        state.partition.logEndOffset(), offset, leaderId, state.leaderEpoch);
                state.partition.truncateTo(offset);
            }
            state.truncating = false;
        } finally {
            lock.unlock();
        }
    }

    /** Sends one Fetch for the partitions due; true if there were any. */
    private boolean fetch() throws InterruptedException {
        Map<TopicPartition, FetchState> due = due(false);
        if (due.isEmpty()) {
            return false;
        }
        if (followerQuota.isExceeded()) {
            holdBackThrottled(due);
            if (due.isEmpty()) {
                return false;
            }
        }
        Map<TopicPartition, Long> fetchOffsets = new HashMap<>();
        Map<TopicPartition, FetchRequest.FetchPartition> wanted = new LinkedHashMap<>();
        Map<TopicPartition, UUID> topicIds = new HashMap<>();
        for (Map.Entry<TopicPartition, FetchState> entry : due.entrySet()) {
            Partition partition = entry.getValue().partition;
            long fetchOffset = partition.logEndOffset();
            fetchOffsets.put(entry.getKey(), fetchOffset);
            topicIds.put(entry.getKey(), partition.topicId());
            wanted.put(entry.getKey(), new FetchRequest.FetchPartition()
                    .setPartition(entry.getKey().partition())
                    .setCurrentLeaderEpoch(entry.getValue().leaderEpoch)
                    .setFetchOffset(fetchOffset)
                    .setLogStartOffset(partition.logStartOffset())
                    .setPartitionMaxBytes(config.fetchPartitionMaxBytes()));
        }
        // The replica id goes in replica_state: leaders are the same build, and take Fetch v15+.
        FetchRequest request = session.fill(new FetchRequest()
                .setReplicaState(new FetchRequest.ReplicaState().setReplicaId(localId))
                .setMaxWaitMs(config.fetchWaitMaxMs())
                .setMinBytes(config.fetchMinBytes())
                .setMaxBytes(config.fetchMaxBytes()), wanted, topicIds);
        Optional<FetchResponse> response = await(endpoint.fetch(request), config.fetchWaitMaxMs() + REQUEST_TIMEOUT_MS);
        if (response.isEmpty()) {
            session.failed();
            backOff(due);
            return true;
        }
        if (!session.answered(response.get())) {
            return true;
        }
        Map<UUID, String> names = new HashMap<>();
        due.forEach((tp, state) -> names.put(state.partition.topicId(), tp.topic()));
        for (FetchResponse.FetchableTopicResponse topic : response.get().responses()) {
            String name = UUID_ZERO.equals(topic.topicId()) ? topic.topic() : names.get(topic.topicId());
            for (FetchResponse.PartitionData data : topic.partitions()) {
                TopicPartition tp = new TopicPartition(name, data.partitionIndex());
                FetchState state = due.get(tp);
                if (state != null) {
                    apply(tp, state, fetchOffsets.get(tp), data);
                }
            }
        }
        return true;
    }

    /**
     * Over follower.replication.throttled.rate, throttled replicas sit out for a while (not the
     * fetch back-off: the quota recovers in fractions of a second).
     */
    private void holdBackThrottled(Map<TopicPartition, FetchState> due) {
        lock.lock();
        try {
            long until = clock.millis() + THROTTLE_RECHECK_MS;
            due.values().removeIf(state -> {
                boolean throttled = state.partition.followerThrottled();
                if (throttled) {
                    state.delayedUntilMs = until;
                }
                return throttled;
            });
        } finally {
            lock.unlock();
        }
    }

    /** Applies one partition's share of a fetch response, unless the partition moved meanwhile. */
    private void apply(TopicPartition tp, FetchState state, long fetchOffset, FetchResponse.PartitionData data) {
        lock.lock();
        try {
            if (partitions.get(tp) != state || state.partition.logEndOffset() != fetchOffset) {
                return;
            }
            Errors error = Errors.forCode(data.errorCode());
            switch (error) {
                case NONE -> {
                    if (data.records() instanceof MemoryRecords records && records.sizeInBytes() > 0) {
                        if (state.partition.followerThrottled()) {
                            followerQuota.record(records.sizeInBytes());
                        }
                        state.partition.appendAsFollower(records);
                    }
                    state.partition.updateFollowerHighWatermark(data.highWatermark());
                    state.partition.followLogStartOffset(data.logStartOffset());
                }
                case OFFSET_OUT_OF_RANGE -> {
                    if (fetchOffset < data.logStartOffset()) {
                        LOG.info("{} at {} is behind the log start {} of leader {}: starting over there", tp,
                                fetchOffset, data.logStartOffset(), leaderId);
                        state.partition.truncateFullyAndStartAt(data.logStartOffset());
                    } else {
                        state.truncating = true; // ahead of the leader: find where we diverge
                    }
                }
                default -> {
                    LOG.debug("Leader {} answered {} to the fetch of {}", leaderId, error, tp);
                    state.delayedUntilMs = clock.millis() + config.fetchBackoffMs();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot append what leader {} sent for {}; truncating again", leaderId, tp, e);
            state.truncating = true;
            state.delayedUntilMs = clock.millis() + config.fetchBackoffMs();
        } finally {
            lock.unlock();
        }
    }

    /** The partitions in the given phase whose back-off is over. */
    private Map<TopicPartition, FetchState> due(boolean truncating) {
        lock.lock();
        try {
            long now = clock.millis();
            Map<TopicPartition, FetchState> due = new LinkedHashMap<>();
            partitions.forEach((tp, state) -> {
                if (state.truncating == truncating && state.delayedUntilMs <= now) {
                    due.put(tp, state);
                }
            });
            return due;
        } finally {
            lock.unlock();
        }
    }

    private void backOff(Map<TopicPartition, FetchState> states) {
        lock.lock();
        try {
            long until = clock.millis() + config.fetchBackoffMs();
            states.values().forEach(state -> state.delayedUntilMs = until);
        } finally {
            lock.unlock();
        }
    }

    private void backOffAll() {
        lock.lock();
        try {
            backOff(new HashMap<>(partitions));
        } finally {
            lock.unlock();
        }
    }

    private <T> Optional<T> await(CompletableFuture<T> future, long timeoutMs) throws InterruptedException {
        inFlight = future;
        if (!running) {
            future.cancel(false);
        }
        try {
            return Optional.of(future.get(timeoutMs, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            future.cancel(false);
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.debug("Request to leader {} failed", leaderId, cause);
            return Optional.empty();
        }
    }

    /**
     * Stops the thread without interrupting it: an interrupt during a write would close the
     * segment's file channel under every reader of the log.
     */
    @Override
    public void close() {
        running = false;
        inFlight.cancel(false);
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoint.close();
    }
}
