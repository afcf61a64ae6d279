package io.gregor.broker.txn;

import io.gregor.broker.api.ErrorMapper;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReplicaManager;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.ControlRecordType;
import io.gregor.storage.txn.TxnMarker;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes transaction markers to the partitions this broker leads, through the replica manager:
 * each partition gets a control batch for the producer, appended as the leader with the
 * producer's id and the marker's epoch, and reports {@link Errors#NONE} once it is committed.
 * A partition of an existing topic that is not led here answers NOT_LEADER_OR_FOLLOWER (the
 * coordinator retries); one of no known topic UNKNOWN_TOPIC_OR_PARTITION (nothing to end there).
 * A marker the partition refuses answers the partition's error: INVALID_PRODUCER_EPOCH for an
 * older producer epoch, TRANSACTION_COORDINATOR_FENCED for an older coordinator epoch.
 *
 * <p>Appends run on the calling thread (they write to disk: not a network thread). Listeners
 * ({@link TransactionMarkerListener}) hear of every committed marker. Thread-safe.
 */
public final class LocalTransactionMarkerWriter implements TransactionMarkerWriter {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTransactionMarkerWriter.class);

    private final ReplicaManager replicaManager;
    private final Clock clock;
    private final List<TransactionMarkerListener> listeners = new CopyOnWriteArrayList<>();

    public LocalTransactionMarkerWriter(ReplicaManager replicaManager, Clock clock) {
        this.replicaManager = replicaManager;
        this.clock = clock;
    }

    public void addListener(TransactionMarkerListener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<Map<TopicPartition, Errors>> writeMarkers(long producerId, short producerEpoch,
                                                                      int coordinatorEpoch, TransactionResult result,
                                                                      Collection<TopicPartition> partitions) {
        TxnMarker marker = new TxnMarker(result == TransactionResult.COMMIT ? ControlRecordType.COMMIT
                : ControlRecordType.ABORT, coordinatorEpoch);
        Map<TopicPartition, CompletableFuture<Errors>> pending = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            pending.put(tp, write(tp, marker, producerId, producerEpoch, result));
        }
        return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
            pending.forEach((tp, future) -> errors.put(tp, future.join()));
            return errors;
        });
    }

    private CompletableFuture<Errors> write(TopicPartition tp, TxnMarker marker, long producerId, short producerEpoch,
                                            TransactionResult result) {
        Optional<Partition> partition = replicaManager.partition(tp.topic(), tp.partition());
        if (partition.isEmpty()) {
            return CompletableFuture.completedFuture(replicaManager.partitionExists(tp)
                    ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        try {
            return partition.get()
                    .appendAsCoordinator(marker.toBatch(producerId, producerEpoch, clock.millis()))
                    .handle((info, failure) -> {
                        if (failure != null) {
                            return ErrorMapper.toError(failure);
                        }
                        notifyListeners(tp, producerId, result);
                        return Errors.NONE;
                    });
        } catch (RuntimeException e) {
            Errors error = ErrorMapper.toError(e);
            LOG.debug("Transaction marker for producer {} refused by {}: {}", producerId, tp, error, e);
            return CompletableFuture.completedFuture(error);
        }
    }

    private void notifyListeners(TopicPartition tp, long producerId, TransactionResult result) {
        for (TransactionMarkerListener listener : listeners) {
            try {
                listener.onMarkerCommitted(tp, producerId, result);
            } catch (RuntimeException e) {
                LOG.error("Transaction marker listener failed for {} of producer {}", tp, producerId, e);
            }
        }
    }
}
