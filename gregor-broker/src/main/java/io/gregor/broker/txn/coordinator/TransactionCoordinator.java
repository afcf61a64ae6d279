package io.gregor.broker.txn.coordinator;

import io.gregor.broker.group.PartitionCoordinatorLog;
import io.gregor.broker.partition.LeadershipListener;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.txn.OffsetsTransactionCheck;
import io.gregor.broker.txn.RemoteTransactionCoordinator;
import io.gregor.broker.txn.TransactionMarkerWriter;
import io.gregor.broker.txn.TransactionVerifier;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.InternalTopics;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.storage.log.LogConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator of this broker: one {@link TransactionShard} per partition of
 * {@code __transaction_state} this broker leads, created and dropped as leadership comes and goes.
 * A transactional id belongs to partition {@code abs(id.hashCode()) % transaction.state.log.num.partitions},
 * the function Kafka uses, so every broker and client agrees on it; requests for an id whose
 * partition is led elsewhere answer NOT_COORDINATOR.
 *
 * <p>It is also the Produce path's {@link TransactionVerifier}: a transactional batch passes at
 * once when its producer's open transaction already holds the partition, else the shard adds or
 * verifies the partition first; and TxnOffsetCommit's {@link OffsetsTransactionCheck} the same
 * way for the group's offsets partition. When another broker coordinates the transactional id,
 * that broker is asked ({@link RemoteTransactionCoordinator}, AddPartitionsToTxn v5).
 *
 * <p>Threads: shards run on a few single-threaded executors (shard {@code p} on executor
 * {@code p % threads}); the shard map and {@link OpenTransactions} are concurrent, read from
 * network threads.
 */
public final class TransactionCoordinator implements LeadershipListener, TransactionVerifier, OffsetsTransactionCheck,
        AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
    /** Produce v12 is the first a transaction-V2 producer sends: it adds partitions through Produce. */
    private static final short FIRST_PRODUCE_VERSION_OF_TRANSACTION_V2 = 12;
    /** Produce v11 is the first that knows TRANSACTION_ABORTABLE. */
    private static final short FIRST_PRODUCE_VERSION_WITH_ABORTABLE = 11;

    private final TransactionCoordinatorConfig config;
    private final QuorumController controller;
    private final int nodeId;
    private final Clock clock;
    private final LongSupplier producerIds;
    private final TransactionMarkerWriter markers;
    private final RemoteTransactionCoordinator remote;
    private final ScheduledExecutorService[] threads;
    private final Map<Integer, TransactionShard> shards = new ConcurrentHashMap<>();
    private final OpenTransactions open = new OpenTransactions();
    private final AtomicReference<CompletableFuture<Void>> topicCreation = new AtomicReference<>();

    public TransactionCoordinator(TransactionCoordinatorConfig config, QuorumController controller, int nodeId,
                                  LongSupplier producerIds, TransactionMarkerWriter markers,
                                  RemoteTransactionCoordinator remote, int threadCount, Clock clock) {
        this.config = config;
        this.remote = remote;
        this.controller = controller;
        this.nodeId = nodeId;
        this.producerIds = producerIds;
        this.markers = markers;
        this.clock = clock;
        this.threads = new ScheduledExecutorService[threadCount];
        for (int i = 0; i < threadCount; i++) {
            String name = "gregor-txn-coordinator-" + i;
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
            });
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            executor.setRemoveOnCancelPolicy(true);
            threads[i] = executor;
        }
    }

    public TransactionCoordinatorConfig config() {
        return config;
    }

    /** The {@code __transaction_state} partition that holds a transactional id. */
    public int partitionFor(String transactionalId) {
        int hash = transactionalId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % config.stateLogPartitions();
    }

    @Override
    public void onBecomeLeader(Partition partition) {
        TopicPartition tp = partition.topicPartition();
        if (!tp.topic().equals(InternalTopics.TRANSACTION_STATE)) {
            return;
        }
        TransactionShard shard = new TransactionShard(new PartitionCoordinatorLog(partition), partition.leaderEpoch(),
                threads[tp.partition() % threads.length], config, clock, producerIds, markers, open);
        TransactionShard previous = shards.putIfAbsent(tp.partition(), shard);
        if (previous != null && previous.log() instanceof PartitionCoordinatorLog log && log.isOver(partition)) {
            return;
        }
        if (previous != null) {
            previous.unload();
            shards.put(tp.partition(), shard);
        }
        LOG.info("Loading the transactions of {}", tp);
        shard.startLoading();
    }

    @Override
    public void onResignLeader(TopicPartition topicPartition) {
        if (!topicPartition.topic().equals(InternalTopics.TRANSACTION_STATE)) {
            return;
        }
        TransactionShard shard = shards.remove(topicPartition.partition());
        if (shard != null) {
            LOG.info("Unloading the transactions of {}", topicPartition);
            shard.unload();
        }
    }

    /** Where FindCoordinator sends a client, or why it cannot say. */
    public record Location(Errors error, int nodeId, String host, int port) {
        static Location failed(Errors error) {
            return new Location(error, -1, "", -1);
        }
    }

    /**
     * The broker coordinating a transactional id, as reached on {@code listenerName}. Creates
     * {@code __transaction_state} first if it does not exist yet, as Kafka does on the first
     * FindCoordinator for a transaction.
     */
    public CompletableFuture<Location> locate(String transactionalId, String listenerName) {
        return ensureStateTopic().handle((created, failure) -> {
            if (failure != null) {
                return Location.failed(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            MetadataImage image = controller.image();
            int partition = partitionFor(transactionalId);
            Optional<Integer> leader = leaderOf(image, partition);
            Optional<BrokerRegistration> broker = leader.flatMap(image::broker);
            if (broker.isEmpty() || broker.get().endpoints().isEmpty()) {
                return Location.failed(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            if (leader.get() == nodeId && !shards.containsKey(partition)) {
                // Led here by the committed metadata, but not taken up yet (a new
                // __transaction_state is answered before its logs exist): the client asks again.
                return Location.failed(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            BrokerEndpoint endpoint = Optional.ofNullable(listenerName).flatMap(broker.get()::endpoint)
                    .orElse(broker.get().endpoints().get(0));
            return new Location(Errors.NONE, broker.get().id(), endpoint.host(), endpoint.port());
        });
    }

    private static Optional<Integer> leaderOf(MetadataImage image, int partition) {
        return image.topic(InternalTopics.TRANSACTION_STATE)
                .flatMap(topic -> topic.partition(partition))
                .map(PartitionImage::leader)
                .filter(id -> id >= 0);
    }

    private CompletableFuture<Void> ensureStateTopic() {
        if (controller.image().topic(InternalTopics.TRANSACTION_STATE).isPresent()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> inFlight = topicCreation.compareAndExchange(null, mine);
        if (inFlight != null) {
            return inFlight;
        }
        CreatableTopic topic = new CreatableTopic(InternalTopics.TRANSACTION_STATE,
                OptionalInt.of(config.stateLogPartitions()), Optional.of(config.stateLogReplicationFactor()),
                Map.of(), Map.of(LogConfig.CLEANUP_POLICY, LogConfig.CLEANUP_COMPACT));
        LOG.info("Creating {} with {} partitions", InternalTopics.TRANSACTION_STATE, config.stateLogPartitions());
        controller.createTopics(List.of(topic), false).whenComplete((results, failure) -> {
            topicCreation.set(null);
            boolean exists = controller.image().topic(InternalTopics.TRANSACTION_STATE).isPresent();
            if (!exists && failure != null) {
                mine.completeExceptionally(failure);
            } else if (!exists && results.stream().anyMatch(r -> !r.error().isSuccess()
                    && r.error().error() != Errors.TOPIC_ALREADY_EXISTS)) {
                mine.completeExceptionally(results.get(0).error().error().exception(
                        results.get(0).error().messageOrDefault()));
            } else {
                mine.complete(null);
            }
        });
        return mine;
    }

    /**
     * Runs an operation on the shard of {@code transactionalId}; {@code failure} builds the answer
     * when the shard is not here (NOT_COORDINATOR), still loading (COORDINATOR_LOAD_IN_PROGRESS,
     * also before this broker has taken up a partition the metadata has it lead), or failed.
     */
    <R> CompletableFuture<R> onShard(String transactionalId, Function<TransactionShard, CompletableFuture<R>> operation,
                                     Function<Errors, R> failure) {
        int partition = partitionFor(transactionalId);
        TransactionShard shard = shards.get(partition);
        if (shard == null) {
            boolean ledHere = leaderOf(controller.image(), partition).filter(id -> id == nodeId).isPresent();
            return CompletableFuture.completedFuture(failure.apply(
                    ledHere ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NOT_COORDINATOR));
        }
        return shard.submit(() -> operation.apply(shard), failure);
    }

    // ---------------------------------------------------------------- the APIs

    /** InitProducerId with a transactional id; see {@link TransactionShard#initProducerId}. */
    public CompletableFuture<ProducerIdAndEpoch> initProducerId(String transactionalId, int timeoutMs,
                                                                long producerId, short producerEpoch) {
        return onShard(transactionalId, shard -> shard.initProducerId(transactionalId, timeoutMs, producerId,
                producerEpoch).thenApply(TransactionCoordinator::toPublic), ProducerIdAndEpoch::failed);
    }

    /** AddPartitionsToTxn, AddOffsetsToTxn: adds (or verifies) partitions; one error for all. */
    public CompletableFuture<Errors> addPartitions(String transactionalId, long producerId, short producerEpoch,
                                                  Set<TopicPartition> partitions, AddMode mode) {
        return onShard(transactionalId, shard -> shard.addPartitions(transactionalId, producerId, producerEpoch,
                partitions, mode), error -> error);
    }

    /** The partition of {@code __consumer_offsets} that AddOffsetsToTxn adds for a group. */
    public TopicPartition offsetsPartitionFor(String groupId) {
        int hash = groupId.hashCode();
        return new TopicPartition(InternalTopics.CONSUMER_OFFSETS,
                (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % config.offsetsTopicPartitions());
    }

    /**
     * TxnOffsetCommit's check: the group's offsets partition must be in the transaction (added by
     * AddOffsetsToTxn), or is added now for a transaction-V2 producer. Errors are the
     * coordinator's; a coordinator on another broker is asked with AddPartitionsToTxn v5.
     */
    @Override
    public CompletableFuture<Errors> check(String transactionalId, long producerId, short producerEpoch,
                                           String groupId, boolean add) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.INVALID_REQUEST);
        }
        TopicPartition partition = offsetsPartitionFor(groupId);
        if (open.allows(producerId, producerEpoch, partition)) {
            return VERIFIED;
        }
        TransactionShard shard = shards.get(partitionFor(transactionalId));
        if (shard == null) {
            Optional<Integer> leader = leaderOf(controller.image(), partitionFor(transactionalId));
            return leader.isPresent() && leader.get() != nodeId
                    ? remote.addPartition(leader.get(), transactionalId, producerId, producerEpoch, partition, !add)
                            .thenApply(error -> error == Errors.NOT_COORDINATOR
                                    ? Errors.COORDINATOR_LOAD_IN_PROGRESS : error)
                    : CompletableFuture.completedFuture(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        }
        return shard.submit(() -> shard.addPartitions(transactionalId, producerId, producerEpoch, Set.of(partition),
                add ? AddMode.PRODUCE_ADD : AddMode.VERIFY), error -> error);
    }

    /** EndTxn; {@code bumpEpoch} for EndTxn v5+ (transaction V2). */
    public CompletableFuture<ProducerIdAndEpoch> endTransaction(String transactionalId, long producerId,
                                                                short producerEpoch, boolean commit, boolean bumpEpoch) {
        return onShard(transactionalId, shard -> shard.endTransaction(transactionalId, producerId, producerEpoch,
                commit, bumpEpoch).thenApply(TransactionCoordinator::toPublic), ProducerIdAndEpoch::failed);
    }

    /** DescribeTransactions for one id: the error is NOT_COORDINATOR, loading, or TRANSACTIONAL_ID_NOT_FOUND. */
    public CompletableFuture<Described> describe(String transactionalId) {
        return onShard(transactionalId, shard -> CompletableFuture.completedFuture(shard.describe(transactionalId)
                        .map(metadata -> new Described(Errors.NONE, Optional.of(metadata)))
                        .orElse(new Described(Errors.TRANSACTIONAL_ID_NOT_FOUND, Optional.empty()))),
                error -> new Described(error, Optional.empty()));
    }

    /** A transactional id's state, or why it cannot be given. */
    public record Described(Errors error, Optional<TransactionMetadata> transaction) {
    }

    /** Every transactional id this broker coordinates; a loading shard makes the error COORDINATOR_LOAD_IN_PROGRESS. */
    public CompletableFuture<Listing> listTransactions() {
        List<CompletableFuture<Listing>> perShard = new ArrayList<>();
        for (TransactionShard shard : shards.values()) {
            perShard.add(shard.submit(() -> CompletableFuture.completedFuture(
                    new Listing(Errors.NONE, shard.transactions())), error -> new Listing(error, List.of())));
        }
        return CompletableFuture.allOf(perShard.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<TransactionMetadata> all = new ArrayList<>();
            Errors error = Errors.NONE;
            for (CompletableFuture<Listing> listing : perShard) {
                Listing result = listing.join();
                if (result.error() != Errors.NONE && result.error() != Errors.NOT_COORDINATOR) {
                    error = result.error();
                }
                all.addAll(result.transactions());
            }
            return new Listing(error, all);
        });
    }

    public record Listing(Errors error, List<TransactionMetadata> transactions) {
    }

    /** An error, or the producer id and epoch a producer goes on with. */
    public record ProducerIdAndEpoch(Errors error, long producerId, short producerEpoch) {
        static ProducerIdAndEpoch failed(Errors error) {
            return new ProducerIdAndEpoch(error, TransactionMetadata.NO_PRODUCER_ID, TransactionMetadata.NO_EPOCH);
        }
    }

    private static ProducerIdAndEpoch toPublic(TransactionShard.ProducerIdResult result) {
        return new ProducerIdAndEpoch(result.error(), result.producerId(), result.producerEpoch());
    }

    // ---------------------------------------------------------------- Produce verification

    @Override
    public CompletableFuture<Errors> verify(String transactionalId, long producerId, short producerEpoch,
                                            TopicPartition partition, short produceVersion) {
        if (open.allows(producerId, producerEpoch, partition)) {
            return VERIFIED;
        }
        int statePartition = partitionFor(transactionalId);
        TransactionShard shard = shards.get(statePartition);
        boolean add = produceVersion >= FIRST_PRODUCE_VERSION_OF_TRANSACTION_V2;
        if (shard == null) {
            Optional<Integer> leader = leaderOf(controller.image(), statePartition);
            // Coordinated by another broker: asked with AddPartitionsToTxn v5. Here but not
            // loaded yet, or no leader: the producer retries.
            return leader.isPresent() && leader.get() != nodeId
                    ? remote.addPartition(leader.get(), transactionalId, producerId, producerEpoch, partition, !add)
                            .thenApply(error -> toProduceError(error, produceVersion))
                    : CompletableFuture.completedFuture(Errors.NOT_ENOUGH_REPLICAS);
        }
        AddMode mode = add ? AddMode.PRODUCE_ADD : AddMode.VERIFY;
        return shard.submit(() -> shard.addPartitions(transactionalId, producerId, producerEpoch, Set.of(partition),
                mode), error -> error).thenApply(error -> toProduceError(error, produceVersion));
    }

    /** The coordinator's answer as the Produce response gives it (KIP-890's mapping). */
    static Errors toProduceError(Errors error, short produceVersion) {
        return switch (error) {
            case NONE, INVALID_TXN_STATE, INVALID_PRODUCER_ID_MAPPING -> error;
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            case TRANSACTION_ABORTABLE -> produceVersion >= FIRST_PRODUCE_VERSION_WITH_ABORTABLE
                    ? Errors.TRANSACTION_ABORTABLE : Errors.INVALID_TXN_STATE;
            case CONCURRENT_TRANSACTIONS -> produceVersion >= FIRST_PRODUCE_VERSION_OF_TRANSACTION_V2
                    ? Errors.CONCURRENT_TRANSACTIONS : Errors.NOT_ENOUGH_REPLICAS;
            // Retriable for every producer, and it does not make the producer refresh metadata.
            default -> Errors.NOT_ENOUGH_REPLICAS;
        };
    }

    /** Unloads every shard (requests waiting in one are answered NOT_COORDINATOR), then stops the threads. */
    @Override
    public void close() throws InterruptedException {
        shards.values().forEach(TransactionShard::unload);
        shards.clear();
        for (ScheduledExecutorService thread : threads) {
            thread.shutdown();
        }
        for (ScheduledExecutorService thread : threads) {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
