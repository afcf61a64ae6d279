package io.gregor.broker.txn;

import io.gregor.protocol.error.Errors;
import java.util.concurrent.CompletableFuture;

/**
 * TxnOffsetCommit's question to the transaction coordinator before a group's offsets are written
 * in a transaction (KIP-890): is the group's {@code __consumer_offsets} partition part of the
 * producer's open transaction? A transaction-V2 producer (TxnOffsetCommit v5) sends no
 * AddOffsetsToTxn, so the partition is added here ({@code add}); an older one must have added it
 * already, so it is only verified. Without that, the transaction's marker would never reach the
 * partition and the offsets would stay pending.
 */
@FunctionalInterface
public interface OffsetsTransactionCheck {
    /**
     * @return {@link Errors#NONE} when the offsets may be written, else the coordinator's error
     */
    CompletableFuture<Errors> check(String transactionalId, long producerId, short producerEpoch, String groupId,
                                    boolean add);

    /** No coordinator to ask (a broker without transactions): every commit is written. */
    OffsetsTransactionCheck NONE = (transactionalId, producerId, producerEpoch, groupId, add) ->
            CompletableFuture.completedFuture(Errors.NONE);
}
