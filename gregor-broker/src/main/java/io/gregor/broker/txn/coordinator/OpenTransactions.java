package io.gregor.broker.txn.coordinator;

import io.gregor.protocol.api.TopicPartition;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ongoing transactions of every shard on this broker, by producer id, as the Produce path
 * needs to see them: which partitions a producer at a given epoch may write to right now. Lets
 * the common case of {@link io.gregor.broker.txn.TransactionVerifier} answer on the network
 * thread without a hop to a shard.
 *
 * <p>A shard publishes a transaction here only once nothing about it is in flight (no write to
 * the log, no queued Produce waiting for a partition to be added), and withdraws it as soon as it
 * starts ending. So a batch that passes here can never overtake an earlier batch of the same
 * producer still waiting in the shard: that batch keeps the transaction unpublished.
 *
 * <p>Thread-safety: written by shard threads, read by network threads; entries are immutable.
 */
final class OpenTransactions {
    private record Open(short epoch, Set<TopicPartition> partitions) {
    }

    private final Map<Long, Open> byProducerId = new ConcurrentHashMap<>();

    boolean allows(long producerId, short epoch, TopicPartition partition) {
        Open open = byProducerId.get(producerId);
        return open != null && open.epoch == epoch && open.partitions.contains(partition);
    }

    void publish(TransactionMetadata metadata) {
        if (metadata.previousProducerId() != TransactionMetadata.NO_PRODUCER_ID) {
            byProducerId.remove(metadata.previousProducerId());
        }
        if (metadata.state() == TransactionState.ONGOING) {
            byProducerId.put(metadata.producerId(), new Open(metadata.producerEpoch(), metadata.partitions()));
        } else {
            byProducerId.remove(metadata.producerId());
        }
    }

    void withdraw(long producerId) {
        byProducerId.remove(producerId);
    }
}
