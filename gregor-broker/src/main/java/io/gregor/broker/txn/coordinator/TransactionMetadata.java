package io.gregor.broker.txn.coordinator;

import io.gregor.protocol.api.TopicPartition;
import java.util.Set;

/**
 * What the coordinator knows of one transactional id, as written to {@code __transaction_state}.
 * Immutable: a state change builds the next value, writes it, and replaces the old one once it
 * is durable.
 *
 * @param producerId the producer id in use
 * @param previousProducerId the id before the last roll-over to a new id (epoch exhausted), or
 *     {@link #NO_PRODUCER_ID}; lets a retried EndTxn of the old id be recognised
 * @param producerEpoch the current epoch; older epochs are fenced
 * @param lastProducerEpoch the epoch before the last bump by the coordinator (a timeout abort,
 *     a fence, or a transaction-V2 end), or {@link #NO_EPOCH}; requests at that epoch are retries
 *     or the fenced producer coming back (KIP-360, KIP-890)
 * @param timeoutMs the producer's transaction timeout
 * @param partitions the partitions (data and offsets) of the current transaction
 * @param startTimeMs when the current transaction began (its first partition), or -1
 * @param lastUpdateTimeMs when this value was last changed; drives transactional id expiry
 * @param transactionVersion 2 when the transaction runs the KIP-890 part 2 protocol (epoch
 *     bumped at every end), else 1
 */
public record TransactionMetadata(String transactionalId, long producerId, long previousProducerId,
                                  short producerEpoch, short lastProducerEpoch, int timeoutMs,
                                  TransactionState state, Set<TopicPartition> partitions, long startTimeMs,
                                  long lastUpdateTimeMs, byte transactionVersion) {
    public static final long NO_PRODUCER_ID = -1;
    public static final short NO_EPOCH = -1;
    /** The last epoch a producer id may reach; past it the id is replaced (Kafka reserves MAX_VALUE). */
    public static final short MAX_EPOCH = Short.MAX_VALUE - 1;

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
    }

    public static TransactionMetadata fresh(String transactionalId, long producerId, int timeoutMs, long nowMs) {
        return new TransactionMetadata(transactionalId, producerId, NO_PRODUCER_ID, (short) 0, NO_EPOCH, timeoutMs,
                TransactionState.EMPTY, Set.of(), -1, nowMs, (byte) 1);
    }

    TransactionMetadata withState(TransactionState newState, Set<TopicPartition> newPartitions, long nowMs) {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch,
                lastProducerEpoch, timeoutMs, newState, newPartitions, startTimeMs, nowMs, transactionVersion);
    }

    TransactionMetadata withStart(long newStartTimeMs, byte version) {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch,
                lastProducerEpoch, timeoutMs, state, partitions, newStartTimeMs, lastUpdateTimeMs, version);
    }

    TransactionMetadata withTimeout(int newTimeoutMs) {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch,
                lastProducerEpoch, newTimeoutMs, state, partitions, startTimeMs, lastUpdateTimeMs, transactionVersion);
    }

    /**
     * The next epoch of this producer, remembering the current one as the last; when the epoch is
     * exhausted, {@code newProducerId} (called only then) gives a fresh id at epoch 0.
     */
    TransactionMetadata bumpEpoch(java.util.function.LongSupplier newProducerId) {
        if (producerEpoch >= MAX_EPOCH) {
            return new TransactionMetadata(transactionalId, newProducerId.getAsLong(), producerId, (short) 0,
                    NO_EPOCH, timeoutMs, state, partitions, startTimeMs, lastUpdateTimeMs, transactionVersion);
        }
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, (short) (producerEpoch + 1),
                producerEpoch, timeoutMs, state, partitions, startTimeMs, lastUpdateTimeMs, transactionVersion);
    }

    boolean isTransactionV2() {
        return transactionVersion >= 2;
    }

    boolean hasTimedOut(long nowMs) {
        return state == TransactionState.ONGOING && startTimeMs >= 0 && nowMs - startTimeMs > timeoutMs;
    }
}
