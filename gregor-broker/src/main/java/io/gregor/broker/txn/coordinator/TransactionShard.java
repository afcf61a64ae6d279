package io.gregor.broker.txn.coordinator;

import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.coordinator.CoordinatorLog;
import io.gregor.broker.coordinator.CoordinatorPartitions;
import io.gregor.broker.txn.TransactionMarkerWriter;
import io.gregor.broker.txn.TransactionResult;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of the transactional ids that hash to one partition of
 * {@code __transaction_state}: their producer ids and epochs and the state of their current
 * transaction, kept in memory and written to that partition ({@link TransactionRecords}) before
 * any answer depends on it. A shard exists while this broker leads the partition; when created it
 * replays the partition ({@link TransactionLogLoader}) and answers COORDINATOR_LOAD_IN_PROGRESS
 * until done, then resumes the marker writing of every transaction it finds prepared.
 *
 * <p>Ending a transaction: the decision (PrepareCommit / PrepareAbort) is written first and the
 * producer answered; the markers then go to every partition of the transaction through the
 * {@link TransactionMarkerWriter}, partitions that failed are retried, and CompleteCommit /
 * CompleteAbort is written once all have them. Until then the transactional id answers
 * CONCURRENT_TRANSACTIONS, which clients retry.
 *
 * <p>Thread-safety: all state is owned by the single-threaded executor given (shared with other
 * shards); every public operation is queued onto it and answers with a future. A transactional
 * id with a write in flight is "busy": client requests for it get CONCURRENT_TRANSACTIONS, while
 * the Produce path's requests wait in order behind the write (a transaction-V2 producer has up to
 * five requests in flight, and they must reach the log in the order sent).
 */
final class TransactionShard implements CoordinatorPartitions.Shard {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionShard.class);
    private static final long MARKER_RETRY_BACKOFF_MS = 100;
    /** How long a Produce waits for its transaction to be free before it is told to retry. */
    private static final long PRODUCE_WAIT_MS = 5_000;

    /** The answer to InitProducerId and EndTxn: an error, or the producer id and epoch to use next. */
    record ProducerIdResult(Errors error, long producerId, short producerEpoch) {
        static ProducerIdResult failed(Errors error) {
            return new ProducerIdResult(error, TransactionMetadata.NO_PRODUCER_ID, TransactionMetadata.NO_EPOCH);
        }
    }


    private final CoordinatorLog log;
    private final ScheduledExecutorService executor;
    private final TransactionCoordinatorConfig config;
    private final Clock clock;
    private final LongSupplier producerIds;
    private final TransactionMarkerWriter markers;
    private final OpenTransactions open;
    private final int coordinatorEpoch;
    private final Map<String, TransactionMetadata> transactions = new HashMap<>();
    private final Set<String> writing = new HashSet<>();
    private final Map<String, Deque<Runnable>> waiting = new HashMap<>();
    private final Map<String, Set<TopicPartition>> markersPending = new HashMap<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private boolean loading = true;
    private boolean unloaded;

    TransactionShard(CoordinatorLog log, int coordinatorEpoch, ScheduledExecutorService executor,
                     TransactionCoordinatorConfig config, Clock clock, LongSupplier producerIds,
                     TransactionMarkerWriter markers, OpenTransactions open) {
        this.log = log;
        this.coordinatorEpoch = coordinatorEpoch;
        this.executor = executor;
        this.config = config;
        this.clock = clock;
        this.producerIds = producerIds;
        this.markers = markers;
        this.open = open;
    }

    @Override
    public CoordinatorLog log() {
        return log;
    }

    // ---------------------------------------------------------------- life cycle

    @Override
    public void startLoading() {
        TransactionLogLoader loader = new TransactionLogLoader(log, transactions, this::loaded);
        execute(() -> loader.loadNextChunk(next -> {
            if (!unloaded) {
                execute(next);
            }
        }));
    }

    private void loaded(Optional<Throwable> failure) {
        if (failure.isPresent()) {
            LOG.error("Loading the transactions of {} failed; they stay unavailable", log.topicPartition(),
                    failure.get());
            return;
        }
        loading = false;
        for (TransactionMetadata metadata : transactions.values()) {
            if (metadata.state().isPreparing()) {
                writeMarkers(metadata);
            } else {
                open.publish(metadata);
            }
        }
        scheduleAtFixedRate(this::abortTimedOut, config.abortTimedOutIntervalMs());
        scheduleAtFixedRate(this::expireIdle, config.removeExpiredIntervalMs());
        LOG.info("Loaded {} transactional ids from {}", transactions.size(), log.topicPartition());
    }

    /** Stops the shard: queued and later operations answer NOT_COORDINATOR. */
    @Override
    public void unload() {
        execute(() -> {
            unloaded = true;
            timers.forEach(timer -> timer.cancel(false));
            transactions.values().forEach(metadata -> open.withdraw(metadata.producerId()));
            waiting.values().forEach(queue -> queue.forEach(Runnable::run));
            waiting.clear();
        });
    }

    /**
     * Runs {@code operation} on the shard's thread; {@code failure} builds the answer while the
     * shard loads (COORDINATOR_LOAD_IN_PROGRESS) or after it is unloaded (NOT_COORDINATOR).
     */
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
                        operation.get().whenComplete((value, error) -> {
                            if (error != null) {
                                LOG.error("Transaction operation failed on {}", log.topicPartition(), error);
                                result.complete(failure.apply(Errors.UNKNOWN_SERVER_ERROR));
                            } else {
                                result.complete(value);
                            }
                        });
                    } catch (RuntimeException e) {
                        LOG.error("Transaction operation failed on {}", log.topicPartition(), e);
                        result.complete(failure.apply(Errors.UNKNOWN_SERVER_ERROR));
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(failure.apply(Errors.NOT_COORDINATOR));
        }
        return result;
    }

    // ---------------------------------------------------------------- InitProducerId

    /**
     * A transactional producer starting (or restarting): a new producer id for a new
     * transactional id, else the next epoch of its id, which fences every older instance. An
     * open transaction is aborted first and the producer told to retry (KIP-98); a producer that
     * names its current id and epoch is the same instance recovering from an error (KIP-360).
     */
    CompletableFuture<ProducerIdResult> initProducerId(String transactionalId, int timeoutMs, long producerId,
                                                       short producerEpoch) {
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            return done(ProducerIdResult.failed(Errors.INVALID_TRANSACTION_TIMEOUT));
        }
        TransactionMetadata current = transactions.get(transactionalId);
        long now = clock.millis();
        if (current == null) {
            TransactionMetadata fresh = TransactionMetadata.fresh(transactionalId, producerIds.getAsLong(), timeoutMs, now);
            return write(fresh).thenApply(error -> error == Errors.NONE
                    ? new ProducerIdResult(Errors.NONE, fresh.producerId(), fresh.producerEpoch())
                    : ProducerIdResult.failed(error));
        }
        if (writing.contains(transactionalId) || current.state().isPreparing()) {
            return done(ProducerIdResult.failed(Errors.CONCURRENT_TRANSACTIONS));
        }
        if (producerId != TransactionMetadata.NO_PRODUCER_ID) {
            if (producerId != current.producerId()) {
                return done(ProducerIdResult.failed(Errors.INVALID_PRODUCER_ID_MAPPING));
            }
            if (producerEpoch != current.producerEpoch() && producerEpoch != current.lastProducerEpoch()) {
                return done(ProducerIdResult.failed(Errors.PRODUCER_FENCED));
            }
            if (producerEpoch == current.lastProducerEpoch() && current.state() == TransactionState.EMPTY) {
                // The answer to the bump this producer asked for was lost; it asks again.
                return done(new ProducerIdResult(Errors.NONE, current.producerId(), current.producerEpoch()));
            }
        }
        if (current.state() == TransactionState.ONGOING) {
            prepare(current.bumpEpoch(producerIds).withState(TransactionState.PREPARE_ABORT, current.partitions(), now));
            return done(ProducerIdResult.failed(Errors.CONCURRENT_TRANSACTIONS));
        }
        TransactionMetadata next = current.bumpEpoch(producerIds).withTimeout(timeoutMs)
                .withState(TransactionState.EMPTY, Set.of(), now).withStart(-1, (byte) 1);
        return write(next).thenApply(error -> error == Errors.NONE
                ? new ProducerIdResult(Errors.NONE, next.producerId(), next.producerEpoch())
                : ProducerIdResult.failed(error));
    }

    // ---------------------------------------------------------------- adding partitions

    /**
     * Adds partitions to the producer's transaction (starting one if none is open), or only
     * checks that they are in it ({@link AddMode#VERIFY}). One error for all of them.
     */
    CompletableFuture<Errors> addPartitions(String transactionalId, long producerId, short producerEpoch,
                                            Set<TopicPartition> partitions, AddMode mode) {
        CompletableFuture<Errors> answer = new CompletableFuture<>();
        addPartitions(transactionalId, producerId, producerEpoch, partitions, mode, answer);
        if (mode != AddMode.CLIENT && !answer.isDone()) {
            schedule(() -> answer.complete(Errors.CONCURRENT_TRANSACTIONS), PRODUCE_WAIT_MS);
        }
        return answer;
    }

    private void addPartitions(String transactionalId, long producerId, short producerEpoch,
                               Set<TopicPartition> partitions, AddMode mode, CompletableFuture<Errors> answer) {
        if (answer.isDone()) {
            return;
        }
        if (unloaded) {
            answer.complete(Errors.NOT_COORDINATOR);
            return;
        }
        TransactionMetadata current = transactions.get(transactionalId);
        if (current == null || current.producerId() != producerId) {
            answer.complete(Errors.INVALID_PRODUCER_ID_MAPPING);
            return;
        }
        if (producerEpoch != current.producerEpoch()) {
            boolean abortedUnderIt = mode != AddMode.CLIENT && producerEpoch == current.lastProducerEpoch()
                    && (current.state() == TransactionState.PREPARE_ABORT
                    || current.state() == TransactionState.COMPLETE_ABORT);
            answer.complete(abortedUnderIt ? Errors.TRANSACTION_ABORTABLE : Errors.PRODUCER_FENCED);
            return;
        }
        boolean busy = writing.contains(transactionalId) || current.state().isPreparing();
        if (busy && mode == AddMode.CLIENT) {
            answer.complete(Errors.CONCURRENT_TRANSACTIONS);
            return;
        }
        if (busy && (mode == AddMode.PRODUCE_ADD || writing.contains(transactionalId))) {
            waiting.computeIfAbsent(transactionalId, id -> new ArrayDeque<>()).add(() ->
                    addPartitions(transactionalId, producerId, producerEpoch, partitions, mode, answer));
            return;
        }
        boolean present = current.state() == TransactionState.ONGOING && current.partitions().containsAll(partitions);
        if (present) {
            answer.complete(Errors.NONE);
            return;
        }
        if (mode == AddMode.VERIFY) {
            answer.complete(Errors.INVALID_TXN_STATE);
            return;
        }
        long now = clock.millis();
        Set<TopicPartition> all = new HashSet<>(current.partitions());
        all.addAll(partitions);
        TransactionMetadata next = current.withState(TransactionState.ONGOING, all, now);
        if (current.state() != TransactionState.ONGOING) {
            next = next.withStart(now, mode == AddMode.PRODUCE_ADD ? (byte) 2 : (byte) 1);
        }
        write(next).thenAccept(answer::complete);
    }

    // ---------------------------------------------------------------- EndTxn

    /**
     * Commits or aborts the producer's transaction: answered once the decision is durable, the
     * markers follow. With transaction V2 ({@code bumpEpoch}, EndTxn v5) the epoch is bumped at
     * the decision and returned, so nothing written with the old epoch can join a later
     * transaction; a retry at the old epoch is recognised and answered the same.
     */
    CompletableFuture<ProducerIdResult> endTransaction(String transactionalId, long producerId, short producerEpoch,
                                                       boolean commit, boolean bumpEpoch) {
        TransactionMetadata current = transactions.get(transactionalId);
        if (current == null || current.producerId() != producerId) {
            return done(ProducerIdResult.failed(Errors.INVALID_PRODUCER_ID_MAPPING));
        }
        TransactionState state = current.state();
        TransactionState prepared = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        TransactionState completed = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        ProducerIdResult asNow = new ProducerIdResult(Errors.NONE, current.producerId(), current.producerEpoch());
        if (producerEpoch != current.producerEpoch()) {
            if (bumpEpoch && producerEpoch == current.lastProducerEpoch()) {
                if (state == prepared || state == completed) {
                    return done(asNow);
                }
                if (commit && (state == TransactionState.PREPARE_ABORT || state == TransactionState.COMPLETE_ABORT)) {
                    // Aborted under the producer (timeout): it must abort too.
                    return done(ProducerIdResult.failed(Errors.TRANSACTION_ABORTABLE));
                }
            }
            return done(ProducerIdResult.failed(Errors.PRODUCER_FENCED));
        }
        if (writing.contains(transactionalId)) {
            return done(ProducerIdResult.failed(Errors.CONCURRENT_TRANSACTIONS));
        }
        long now = clock.millis();
        switch (state) {
            case ONGOING -> {
                TransactionMetadata decided = (bumpEpoch ? current.bumpEpoch(producerIds) : current)
                        .withState(prepared, current.partitions(), now)
                        .withStart(current.startTimeMs(), bumpEpoch ? (byte) 2 : (byte) 1);
                return prepare(decided).thenApply(error -> error == Errors.NONE
                        ? new ProducerIdResult(Errors.NONE, decided.producerId(), decided.producerEpoch())
                        : ProducerIdResult.failed(error));
            }
            case PREPARE_COMMIT, PREPARE_ABORT -> {
                return done(ProducerIdResult.failed(state == prepared ? Errors.CONCURRENT_TRANSACTIONS
                        : Errors.INVALID_TXN_STATE));
            }
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> {
                if (bumpEpoch && !commit) {
                    // V2: aborting with nothing added still bumps the epoch (the producer may
                    // have had writes rejected before any partition joined).
                    TransactionMetadata aborted = current.bumpEpoch(producerIds)
                            .withState(TransactionState.COMPLETE_ABORT, Set.of(), now).withStart(-1, (byte) 2);
                    return write(aborted).thenApply(error -> error == Errors.NONE
                            ? new ProducerIdResult(Errors.NONE, aborted.producerId(), aborted.producerEpoch())
                            : ProducerIdResult.failed(error));
                }
                return done(!bumpEpoch && state == completed ? asNow
                        : ProducerIdResult.failed(Errors.INVALID_TXN_STATE));
            }
            default -> {
                return done(ProducerIdResult.failed(Errors.INVALID_TXN_STATE));
            }
        }
    }

    // ---------------------------------------------------------------- timers

    /** Aborts every transaction open past its timeout, bumping the epoch to fence its producer. */
    void abortTimedOut() {
        long now = clock.millis();
        for (TransactionMetadata metadata : List.copyOf(transactions.values())) {
            if (metadata.hasTimedOut(now) && !writing.contains(metadata.transactionalId())
                    && metadata.producerEpoch() < TransactionMetadata.MAX_EPOCH) {
                LOG.info("Aborting the transaction of {} (producer {}), open longer than its timeout of {} ms",
                        metadata.transactionalId(), metadata.producerId(), metadata.timeoutMs());
                TransactionMetadata fenced = metadata.bumpEpoch(producerIds);
                prepare(fenced.withState(TransactionState.PREPARE_ABORT, metadata.partitions(), now));
            }
        }
    }

    /** Forgets transactional ids idle longer than {@code transactional.id.expiration.ms}. */
    void expireIdle() {
        long now = clock.millis();
        for (TransactionMetadata metadata : List.copyOf(transactions.values())) {
            String id = metadata.transactionalId();
            if (metadata.state().isIdle() && now - metadata.lastUpdateTimeMs() > config.idExpirationMs()
                    && !writing.contains(id) && !waiting.containsKey(id)) {
                writing.add(id);
                MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
                builder.append(now, TransactionRecords.key(id), null);
                append(builder).thenAccept(error -> {
                    writing.remove(id);
                    if (error == Errors.NONE) {
                        transactions.remove(id);
                        open.withdraw(metadata.producerId());
                        LOG.info("Transactional id {} expired", id);
                    }
                    drainWaiting(id);
                });
            }
        }
    }

    // ---------------------------------------------------------------- admin

    List<TransactionMetadata> transactions() {
        return List.copyOf(transactions.values());
    }

    Optional<TransactionMetadata> describe(String transactionalId) {
        TransactionMetadata metadata = transactions.get(transactionalId);
        if (metadata == null) {
            return Optional.empty();
        }
        Set<TopicPartition> pending = markersPending.get(transactionalId);
        if (metadata.state().isPreparing() && pending != null) {
            return Optional.of(metadata.withState(metadata.state(), pending, metadata.lastUpdateTimeMs()));
        }
        return Optional.of(metadata);
    }

    // ---------------------------------------------------------------- markers

    /** Writes a decision (PrepareCommit / PrepareAbort), then the markers it calls for. */
    private CompletableFuture<Errors> prepare(TransactionMetadata decided) {
        open.withdraw(decided.producerId());
        return write(decided).thenApply(error -> {
            if (error == Errors.NONE) {
                writeMarkers(decided);
            }
            return error;
        });
    }

    private void writeMarkers(TransactionMetadata decided) {
        markersPending.put(decided.transactionalId(), new HashSet<>(decided.partitions()));
        sendMarkers(decided);
    }

    private void sendMarkers(TransactionMetadata decided) {
        String id = decided.transactionalId();
        Set<TopicPartition> pending = markersPending.get(id);
        if (unloaded || pending == null || transactions.get(id) != decided) {
            return;
        }
        if (pending.isEmpty()) {
            complete(decided);
            return;
        }
        TransactionResult result = decided.state() == TransactionState.PREPARE_COMMIT
                ? TransactionResult.COMMIT : TransactionResult.ABORT;
        CompletableFuture<Map<TopicPartition, Errors>> sent;
        try {
            sent = markers.writeMarkers(decided.producerId(), decided.producerEpoch(), coordinatorEpoch, result,
                    List.copyOf(pending));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((errors, failure) -> execute(() -> {
            if (failure != null) {
                LOG.warn("Writing the markers of {} failed: {}", id, failure.toString());
            } else {
                errors.forEach((partition, error) -> {
                    if (error == Errors.NONE || error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                        // A deleted partition needs no marker any more.
                        pending.remove(partition);
                    } else {
                        LOG.debug("Marker of {} for {} failed with {}; retrying", id, partition, error);
                    }
                });
            }
            if (pending.isEmpty()) {
                sendMarkers(decided);
            } else {
                schedule(() -> sendMarkers(decided), MARKER_RETRY_BACKOFF_MS);
            }
        }));
    }

    /** Every marker is written: the transaction is over (CompleteCommit / CompleteAbort). */
    private void complete(TransactionMetadata decided) {
        TransactionState completed = decided.state() == TransactionState.PREPARE_COMMIT
                ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        TransactionMetadata done = decided.withState(completed, Set.of(), clock.millis());
        write(done).thenAccept(error -> {
            if (error == Errors.NONE) {
                markersPending.remove(decided.transactionalId());
                drainWaiting(decided.transactionalId());
            } else if (!unloaded) {
                schedule(() -> complete(decided), MARKER_RETRY_BACKOFF_MS);
            }
        });
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes the next state of a transactional id and makes it current once durable; the id is
     * busy meanwhile. Answers on the shard's thread, after which the requests that waited for
     * the id run in their order.
     */
    private CompletableFuture<Errors> write(TransactionMetadata next) {
        String id = next.transactionalId();
        writing.add(id);
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        builder.append(next.lastUpdateTimeMs(), TransactionRecords.key(id), TransactionRecords.value(next));
        CompletableFuture<Errors> written = new CompletableFuture<>();
        append(builder).thenAccept(error -> {
            writing.remove(id);
            if (error == Errors.NONE) {
                transactions.put(id, next);
            }
            written.complete(error);
            drainWaiting(id);
        });
        return written;
    }

    /**
     * Re-runs, in order, the Produce requests that waited for {@code id}; once none waits and
     * nothing is in flight, the transaction is published for the Produce fast path.
     */
    private void drainWaiting(String id) {
        Deque<Runnable> queue = waiting.remove(id);
        if (queue != null) {
            queue.forEach(Runnable::run);
        }
        TransactionMetadata current = transactions.get(id);
        if (current != null && !writing.contains(id) && !waiting.containsKey(id) && !current.state().isPreparing()) {
            open.publish(current);
        }
    }

    private CompletableFuture<Errors> append(MemoryRecordsBuilder builder) {
        CompletableFuture<Errors> written = new CompletableFuture<>();
        CompletableFuture<?> append;
        try {
            append = log.append(builder.build());
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
                written.complete(Errors.NOT_COORDINATOR);
            }
        });
        return written;
    }

    private static Errors toCoordinatorError(Errors error) {
        return switch (error) {
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            default -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }

    // ---------------------------------------------------------------- threads

    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Transaction coordinator of {} is shut down", log.topicPartition());
        }
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            executor.schedule(() -> {
                if (!unloaded) {
                    task.run();
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Transaction coordinator of {} is shut down", log.topicPartition());
        }
    }

    private void scheduleAtFixedRate(Runnable task, long intervalMs) {
        try {
            timers.add(executor.scheduleAtFixedRate(() -> {
                if (!unloaded) {
                    task.run();
                }
            }, intervalMs, intervalMs, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            LOG.debug("Transaction coordinator of {} is shut down", log.topicPartition());
        }
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
