package io.gregor.storage.producer;

import io.gregor.protocol.record.RecordBatch;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;

/**
 * What one partition knows of one producer id: its current epoch, its last
 * {@link #MAX_BATCHES} batches under that epoch (oldest first) and the max timestamp of its
 * last batch, which decides when the producer id expires. Not thread-safe: owned by a
 * {@link ProducerStateManager}.
 */
public final class ProducerStateEntry {
    /** Kafka clients keep at most five requests in flight per connection, so five batches cover every retry. */
    public static final int MAX_BATCHES = 5;

    private final long producerId;
    private short epoch;
    private long lastTimestamp;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(MAX_BATCHES);

    ProducerStateEntry(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
        this.lastTimestamp = RecordBatch.NO_TIMESTAMP;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The last batches under the current epoch, oldest first. */
    public Collection<BatchMetadata> batches() {
        return Collections.unmodifiableCollection(batches);
    }

    /** The last sequence written under the current epoch, if any batch was. */
    public Optional<Integer> lastSeq() {
        return batches.isEmpty() ? Optional.empty() : Optional.of(batches.peekLast().lastSeq());
    }

    /** The earlier batch with exactly this epoch and sequence range, if it is one of the last few. */
    public Optional<BatchMetadata> findDuplicate(short batchEpoch, int firstSeq, int lastSeq) {
        if (batchEpoch != epoch) {
            return Optional.empty();
        }
        for (BatchMetadata batch : batches) {
            if (batch.firstSeq() == firstSeq && batch.lastSeq() == lastSeq) {
                return Optional.of(batch);
            }
        }
        return Optional.empty();
    }

    /** Records a batch written under {@code batchEpoch}; a new epoch forgets the old epoch's batches. */
    void add(short batchEpoch, BatchMetadata batch) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            batches.clear();
        }
        if (batches.size() == MAX_BATCHES) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastTimestamp = batch.timestamp();
    }

    /** An independent copy, for callers outside the log's lock. */
    public ProducerStateEntry copy() {
        ProducerStateEntry copy = new ProducerStateEntry(producerId, epoch);
        copy.restore(lastTimestamp, batches);
        return copy;
    }

    /** Restores state read from a snapshot. */
    void restore(long timestamp, Collection<BatchMetadata> restored) {
        batches.clear();
        for (BatchMetadata batch : restored) {
            if (batches.size() == MAX_BATCHES) {
                batches.removeFirst();
            }
            batches.addLast(batch);
        }
        lastTimestamp = timestamp;
    }
}
