package io.gregor.broker.coordinator;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.record.MemoryRecords;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The partition of {@code __consumer_offsets} or {@code __transaction_state} a coordinator shard
 * writes its records to and replays when it loads. A port of its own, narrower than a partition,
 * so that the shard's state machine is tested against an in-memory log.
 */
public interface CoordinatorLog {
    TopicPartition topicPartition();

    /** Appends with acks=all; the future completes once the records are committed. */
    CompletableFuture<?> append(MemoryRecords records);

    /**
     * Appends a batch the coordinator writes for a transactional producer (checked by the
     * producer's epoch only); the future completes once it is committed. A log that keeps no
     * producer state (in memory) appends it as any other batch.
     */
    default CompletableFuture<?> appendTransactional(MemoryRecords records) {
        return append(records);
    }

    long logStartOffset();

    /**
     * Whole batches from {@code offset} (at least one if there is one, however large), up to
     * about {@code maxBytes}; an empty buffer at the end of the log.
     */
    ByteBuffer read(long offset, int maxBytes);
}
