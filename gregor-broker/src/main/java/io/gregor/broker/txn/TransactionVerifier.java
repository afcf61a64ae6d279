package io.gregor.broker.txn;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.util.concurrent.CompletableFuture;

/**
 * The Produce path's question to the transaction coordinator before it appends a transactional
 * batch (KIP-890): is this producer's transaction open on this partition? A transaction-V2
 * producer (Produce v12+) never sends AddPartitionsToTxn, so the partition is added here; an
 * older producer must have added it already, so it is only verified. Either way a write from a
 * fenced or finished transaction never reaches the log, which is how KIP-890 closes the hanging-
 * and zombie-write holes of the original protocol.
 *
 * <p>Called on a network thread for every transactional batch, so it must not block: the
 * common case (the partition is already in the open transaction) answers with an already
 * completed future; otherwise the answer comes later from the coordinator's thread.
 */
public interface TransactionVerifier {
    CompletableFuture<Errors> VERIFIED = CompletableFuture.completedFuture(Errors.NONE);

    /**
     * @param produceVersion the Produce request's version: decides add (v12+) or verify, and which
     *     errors the producer understands
     * @return {@link Errors#NONE} when the batch may be appended, else the error to answer the
     *     partition with
     */
    CompletableFuture<Errors> verify(String transactionalId, long producerId, short producerEpoch,
                                     TopicPartition partition, short produceVersion);

    /** No coordinator to ask: every batch is appended (a broker without transactions). */
    TransactionVerifier NONE = (transactionalId, producerId, producerEpoch, partition, version) -> VERIFIED;
}
