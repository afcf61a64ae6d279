package io.gregor.broker.txn;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Ends a transaction on its data partitions: the transaction coordinator hands the partitions of
 * a committing or aborting transaction to this seam, which appends a control batch (a COMMIT or
 * ABORT marker) for the producer to each of them and reports per partition when the marker is
 * durable (replicated to the in-sync replicas) or why it could not be written.
 *
 * <p>The coordinator only completes the transaction once every partition reports
 * {@link Errors#NONE}; partitions that failed with a retriable error are handed over again.
 */
public interface TransactionMarkerWriter {

    CompletableFuture<Map<TopicPartition, Errors>> writeMarkers(long producerId, short producerEpoch,
                                                               int coordinatorEpoch, TransactionResult result,
                                                               Collection<TopicPartition> partitions);
}
