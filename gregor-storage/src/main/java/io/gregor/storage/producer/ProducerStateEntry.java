package io.gregor.storage.producer;

import io.gregor.protocol.record.RecordBatch;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;

/**
 * What one partition knows of one producer id: its current epoch, its last
 * {@link #MAX_BATCHES} batches under that epoch (oldest first), the max timestamp of its
 * last batch, which decides when the producer id expires, the epoch of the transaction
 * coordinator that wrote its last marker, and the first offset of its open transaction in this
 * partition ({@link #NO_TXN} when none is open). Not thread-safe: owned by a
 * {@link ProducerStateManager}.
 */
public final class ProducerStateEntry {
    /** Kafka clients keep at most five requests in flight per connection, so five batches cover every retry. */
    public static final int MAX_BATCHES = 5;
    public static final long NO_TXN = -1L;
    public static final int NO_COORDINATOR_EPOCH = -1;

    private final long producerId;
    private short epoch;
    private long lastTimestamp;
    private int coordinatorEpoch = NO_COORDINATOR_EPOCH;
    private long currentTxnFirstOffset = NO_TXN;
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

    public int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    /** The first offset of the producer's open transaction in this partition, or {@link #NO_TXN}. */
    public long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    public boolean inTransaction() {
        return currentTxnFirstOffset != NO_TXN;
    }

    void beginTransaction(long firstOffset) {
        currentTxnFirstOffset = firstOffset;
    }

    /**
     * A marker ended the open transaction (if any): the producer moves to the marker's epoch
     * (with KIP-890's epoch bump, one above its data's; the next transaction then starts its
     * sequence at 0) and remembers the coordinator's epoch.
     */
    void endTransaction(short markerEpoch, int markerCoordinatorEpoch, long timestamp) {
        if (markerEpoch != epoch) {
            epoch = markerEpoch;
            batches.clear();
        }
        coordinatorEpoch = markerCoordinatorEpoch;
        currentTxnFirstOffset = NO_TXN;
        lastTimestamp = Math.max(lastTimestamp, timestamp);
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
        copy.restore(lastTimestamp, batches, coordinatorEpoch, currentTxnFirstOffset);
        return copy;
    }

    /** Restores state read from a snapshot. */
    void restore(long timestamp, Collection<BatchMetadata> restored, int restoredCoordinatorEpoch,
                 long restoredTxnFirstOffset) {
        coordinatorEpoch = restoredCoordinatorEpoch;
        currentTxnFirstOffset = restoredTxnFirstOffset;
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
