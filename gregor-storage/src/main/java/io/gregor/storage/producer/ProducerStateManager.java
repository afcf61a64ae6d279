package io.gregor.storage.producer;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent-producer state of one partition: per producer id the epoch and the last few
 * batches ({@link ProducerStateEntry}). A leader checks each client batch that carries a producer
 * id before it gets offsets ({@link #check}): a retry of one of the last batches is a duplicate
 * answered with the original offsets, a gap in the sequence or a new epoch not starting at 0 is
 * OUT_OF_ORDER_SEQUENCE_NUMBER, an older epoch INVALID_PRODUCER_EPOCH. A producer id the
 * partition does not know (new, or expired) is accepted at any sequence, as Kafka does since
 * KIP-360 (2.5): the state may have been removed legitimately, and refusing would strand a
 * producer that only paused.
 * <p>
 * Durability: snapshots ({@link ProducerSnapshotFile}) in the partition directory, written by the
 * log when a segment rolls and at clean close; on open the log loads the newest trusted snapshot
 * and replays the batch headers after it ({@link #replay}). The two newest snapshots are kept.
 * <p>
 * Thread-safety: none; every call runs under the owning partition log's lock.
 */
public final class ProducerStateManager {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);
    private static final int SNAPSHOTS_KEPT = 2;

    private final TopicPartition topicPartition;
    private final Path dir;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();

    public ProducerStateManager(TopicPartition topicPartition, Path dir) {
        this.topicPartition = topicPartition;
        this.dir = dir;
    }

    /** Whether a batch takes part in producer state: it has a producer id and is not a control batch. */
    public static boolean tracked(RecordBatch batch) {
        return batch.hasProducerId() && !batch.isControlBatch();
    }

    /**
     * Checks a client batch (with a producer id) against the state and the earlier batches of the
     * same append. Returns the earlier batch it duplicates, if it does.
     *
     * @throws InvalidProducerEpochException for an epoch older than the known one
     * @throws OutOfOrderSequenceException for a sequence that does not continue the known one
     */
    public Optional<BatchMetadata> check(RecordBatch batch, PendingProducerBatches pending) {
        long producerId = batch.producerId();
        short epoch = batch.producerEpoch();
        int firstSeq = batch.baseSequence();
        short knownEpoch;
        Optional<Integer> knownLastSeq;
        Optional<PendingProducerBatches.Pending> earlier = pending.lastOf(producerId);
        ProducerStateEntry entry = producers.get(producerId);
        if (earlier.isPresent()) {
            knownEpoch = earlier.get().epoch();
            knownLastSeq = Optional.of(earlier.get().batch().lastSeq());
        } else if (entry != null) {
            Optional<BatchMetadata> duplicate = entry.findDuplicate(epoch, firstSeq, batch.lastSequence());
            if (duplicate.isPresent()) {
                return duplicate;
            }
            knownEpoch = entry.epoch();
            knownLastSeq = entry.lastSeq();
        } else {
            return Optional.empty();
        }
        if (epoch < knownEpoch) {
            throw new InvalidProducerEpochException("Producer " + producerId + " epoch " + epoch
                    + " is older than the current epoch " + knownEpoch + " on " + topicPartition);
        }
        if (epoch > knownEpoch || knownLastSeq.isEmpty()) {
            if (firstSeq != 0) {
                throw new OutOfOrderSequenceException("Producer " + producerId + " starts epoch " + epoch
                        + " at sequence " + firstSeq + " instead of 0 on " + topicPartition);
            }
        } else if (!inSequence(knownLastSeq.get(), firstSeq)) {
            throw new OutOfOrderSequenceException("Producer " + producerId + " sent sequence " + firstSeq
                    + " after " + knownLastSeq.get() + " (epoch " + epoch + ") on " + topicPartition);
        }
        return Optional.empty();
    }

    /** Sequences wrap from Integer.MAX_VALUE to 0. */
    static boolean inSequence(int lastSeq, int nextSeq) {
        return lastSeq == Integer.MAX_VALUE ? nextSeq == 0 : nextSeq == lastSeq + 1;
    }

    /** Metadata of a batch already written at its offsets (its max timestamp is the producer's last timestamp). */
    public static BatchMetadata metadataOf(RecordBatch batch) {
        return new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset(),
                batch.maxTimestamp());
    }

    /** Makes an append's collected changes the state, once its bytes are written. */
    public void apply(PendingProducerBatches pending) {
        for (PendingProducerBatches.Pending change : pending.all()) {
            update(change.producerId(), change.epoch(), change.batch());
        }
    }

    /** Applies a batch read back from the log (recovery), without checks. */
    public void replay(RecordBatch batch) {
        if (tracked(batch)) {
            update(batch.producerId(), batch.producerEpoch(), metadataOf(batch));
        }
    }

    private void update(long producerId, short epoch, BatchMetadata batch) {
        producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch)).add(epoch, batch);
    }

    public Optional<ProducerStateEntry> entry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    /** Producer id to the last offset of its last known batch. */
    public Map<Long, Long> lastBatchOffsets() {
        Map<Long, Long> offsets = new HashMap<>();
        for (ProducerStateEntry entry : producers.values()) {
            if (!entry.batches().isEmpty()) {
                BatchMetadata last = null;
                for (BatchMetadata batch : entry.batches()) {
                    last = batch;
                }
                offsets.put(entry.producerId(), last.lastOffset());
            }
        }
        return offsets;
    }

    public int producerCount() {
        return producers.size();
    }

    /** Forgets every producer whose last batch is older than {@code expirationMs}; returns how many. */
    public int expire(long nowMs, long expirationMs) {
        int removed = 0;
        for (Iterator<ProducerStateEntry> it = producers.values().iterator(); it.hasNext(); ) {
            if (nowMs - it.next().lastTimestamp() >= expirationMs) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** Forgets every producer (before a reload, or when the log is emptied). */
    public void clear() {
        producers.clear();
    }

    /**
     * Writes the state as of {@code offset} (fsynced if {@code fsync}) and deletes all but the
     * newest snapshots.
     */
    public void takeSnapshot(long offset, boolean fsync) throws IOException {
        ProducerSnapshotFile.write(ProducerSnapshotFile.path(dir, offset), producers.values(), fsync);
        List<Long> offsets = snapshotOffsets();
        for (Long old : offsets.subList(0, Math.max(0, offsets.size() - SNAPSHOTS_KEPT))) {
            Files.deleteIfExists(ProducerSnapshotFile.path(dir, old));
        }
    }

    /**
     * Replaces the state with the newest readable snapshot at or below {@code maxOffset} and returns
     * its offset; empty state and offset 0 when there is none. Snapshots above {@code logEndOffset}
     * describe data that is gone and are deleted, as are unreadable ones.
     */
    public long loadSnapshot(long maxOffset, long logEndOffset) throws IOException {
        producers.clear();
        deleteSnapshotsAbove(logEndOffset);
        List<Long> offsets = snapshotOffsets();
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long offset = offsets.get(i);
            if (offset > maxOffset) {
                continue;
            }
            Path file = ProducerSnapshotFile.path(dir, offset);
            Optional<List<ProducerStateEntry>> loaded = ProducerSnapshotFile.read(file);
            if (loaded.isPresent()) {
                for (ProducerStateEntry entry : loaded.get()) {
                    producers.put(entry.producerId(), entry);
                }
                return offset;
            }
            LOG.warn("Deleting unreadable producer snapshot {}", file);
            Files.deleteIfExists(file);
        }
        return 0L;
    }

    /** Deletes the snapshots of state after {@code offset} (the log was cut there). */
    public void deleteSnapshotsAbove(long offset) throws IOException {
        for (long snapshot : snapshotOffsets()) {
            if (snapshot > offset) {
                Files.deleteIfExists(ProducerSnapshotFile.path(dir, snapshot));
            }
        }
    }

    /** Deletes every snapshot (the log was emptied and restarted at another offset). */
    public void deleteAllSnapshots() throws IOException {
        for (long snapshot : snapshotOffsets()) {
            Files.deleteIfExists(ProducerSnapshotFile.path(dir, snapshot));
        }
    }

    /** Offsets of the snapshots on disk, ascending. */
    public List<Long> snapshotOffsets() throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> ProducerSnapshotFile.parseOffset(file.getFileName().toString())
                    .ifPresent(offsets::add));
        }
        offsets.sort(null);
        return offsets;
    }
}
