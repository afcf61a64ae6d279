package io.gregor.broker.txn.coordinator;

import io.gregor.broker.coordinator.CoordinatorLocation;
import io.gregor.broker.coordinator.CoordinatorPartitions;
import io.gregor.broker.coordinator.CoordinatorTopic;
import io.gregor.broker.coordinator.PartitionCoordinatorLog;
import io.gregor.broker.partition.LeadershipListener;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.txn.OffsetsTransactionCheck;
import io.gregor.broker.txn.RemoteTransactionCoordinator;
import io.gregor.broker.txn.TransactionMarkerWriter;
import io.gregor.broker.txn.TransactionVerifier;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.InternalTopics;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.storage.log.LogConfig;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * <p>Which partitions are here, their threads, FindCoordinator and the errors for a shard not
 * here are the {@link CoordinatorPartitions} it shares with the group coordinator; the
 * transactions are its own. {@link OpenTransactions} is concurrent, read from network threads.
 */
public final class TransactionCoordinator implements LeadershipListener, TransactionVerifier, OffsetsTransactionCheck,
        AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
    /** Produce v12 is the first a transaction-V2 producer sends: it adds partitions through Produce. */
    private static final short FIRST_PRODUCE_VERSION_OF_TRANSACTION_V2 = 12;
    /** Produce v11 is the first that knows TRANSACTION_ABORTABLE. */
    private static final short FIRST_PRODUCE_VERSION_WITH_ABORTABLE = 11;

    private final TransactionCoordinatorConfig config;
    private final int nodeId;
    private final RemoteTransactionCoordinator remote;
    private final CoordinatorPartitions<TransactionShard> partitions;
    private final OpenTransactions open = new OpenTransactions();

    public TransactionCoordinator(TransactionCoordinatorConfig config, QuorumController controller, int nodeId,
                                  LongSupplier producerIds, TransactionMarkerWriter markers,
                                  RemoteTransactionCoordinator remote, int threadCount, Clock clock) {
        this.config = config;
        this.remote = remote;
        this.nodeId = nodeId;
        this.partitions = new CoordinatorPartitions<>(new CoordinatorTopic(InternalTopics.TRANSACTION_STATE,
                config.stateLogPartitions(), config.stateLogReplicationFactor(),
                Map.of(LogConfig.MIN_IN_SYNC_REPLICAS, Integer.toString(config.stateLogMinIsr()))), controller, nodeId, LOG,
                "transactions", "gregor-txn-coordinator-", threadCount, (partition, executor) ->
                new TransactionShard(new PartitionCoordinatorLog(partition), partition.leaderEpoch(), executor, config,
                        clock, producerIds, markers, open));
    }

    public TransactionCoordinatorConfig config() {
        return config;
    }

    /** The {@code __transaction_state} partition that holds a transactional id. */
    public int partitionFor(String transactionalId) {
        return partitions.partitionFor(transactionalId);
    }

    @Override
    public void onBecomeLeader(Partition partition) {
        partitions.onBecomeLeader(partition);
    }

    @Override
    public void onResignLeader(TopicPartition topicPartition) {
        partitions.onResignLeader(topicPartition);
    }

    /**
     * The broker coordinating a transactional id, as reached on {@code listenerName}. Creates
     * {@code __transaction_state} first if it does not exist yet, as Kafka does on the first
     * FindCoordinator for a transaction.
     */
    public CompletableFuture<CoordinatorLocation> locate(String transactionalId, String listenerName) {
        return partitions.locate(transactionalId, listenerName);
    }

    /**
     * Runs an operation on the shard of {@code transactionalId}; {@code failure} builds the answer
     * when the shard is not here (NOT_COORDINATOR), still loading (COORDINATOR_LOAD_IN_PROGRESS,
     * also before this broker has taken up a partition the metadata has it lead), or failed.
     */
    <R> CompletableFuture<R> onShard(String transactionalId, Function<TransactionShard, CompletableFuture<R>> operation,
                                     Function<Errors, R> failure) {
        return partitions.onShard(transactionalId, operation, failure);
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
        return new TopicPartition(InternalTopics.CONSUMER_OFFSETS,
                CoordinatorTopic.partitionFor(groupId, config.offsetsTopicPartitions()));
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
        Optional<TransactionShard> shard = partitions.shard(partitionFor(transactionalId));
        if (shard.isEmpty()) {
            Optional<Integer> leader = partitions.leader(partitionFor(transactionalId));
            return leader.isPresent() && leader.get() != nodeId
                    ? remote.addPartition(leader.get(), transactionalId, producerId, producerEpoch, partition, !add)
                            .thenApply(error -> error == Errors.NOT_COORDINATOR
                                    ? Errors.COORDINATOR_LOAD_IN_PROGRESS : error)
                    : CompletableFuture.completedFuture(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        }
        return shard.get().submit(() -> shard.get().addPartitions(transactionalId, producerId, producerEpoch,
                Set.of(partition), add ? AddMode.PRODUCE_ADD : AddMode.VERIFY), error -> error);
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
        return partitions.onEveryShard(shard -> CompletableFuture.completedFuture(shard.transactions()))
                .thenApply(gathered -> new Listing(gathered.error(), gathered.items()));
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
        Optional<TransactionShard> shard = partitions.shard(statePartition);
        boolean add = produceVersion >= FIRST_PRODUCE_VERSION_OF_TRANSACTION_V2;
        if (shard.isEmpty()) {
            Optional<Integer> leader = partitions.leader(statePartition);
            // Coordinated by another broker: asked with AddPartitionsToTxn v5. Here but not
            // loaded yet, or no leader: the producer retries.
            return leader.isPresent() && leader.get() != nodeId
                    ? remote.addPartition(leader.get(), transactionalId, producerId, producerEpoch, partition, !add)
                            .thenApply(error -> toProduceError(error, produceVersion))
                    : CompletableFuture.completedFuture(Errors.NOT_ENOUGH_REPLICAS);
        }
        AddMode mode = add ? AddMode.PRODUCE_ADD : AddMode.VERIFY;
        return shard.get().submit(() -> shard.get().addPartitions(transactionalId, producerId, producerEpoch,
                Set.of(partition), mode), error -> error).thenApply(error -> toProduceError(error, produceVersion));
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
        partitions.unloadAll();
        partitions.shutdown();
    }
}
