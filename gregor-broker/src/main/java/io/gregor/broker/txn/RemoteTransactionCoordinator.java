package io.gregor.broker.txn;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.util.concurrent.CompletableFuture;

/**
 * A partition leader's question to the transaction coordinator on another broker (KIP-890): add
 * the partition to the producer's transaction, or only verify that it is in it. Sent as
 * AddPartitionsToTxn v4+, the broker-to-broker version.
 */
@FunctionalInterface
public interface RemoteTransactionCoordinator {
    /**
     * @return the coordinator's error for the partition, or a retriable one when it cannot be asked
     */
    CompletableFuture<Errors> addPartition(int coordinatorId, String transactionalId, long producerId,
                                           short producerEpoch, TopicPartition partition, boolean verifyOnly);

    /** No other broker (a single node): nothing is asked, the batch is appended as it came. */
    RemoteTransactionCoordinator NONE = (coordinatorId, transactionalId, producerId, producerEpoch, partition,
                                         verifyOnly) -> CompletableFuture.completedFuture(Errors.NONE);
}
