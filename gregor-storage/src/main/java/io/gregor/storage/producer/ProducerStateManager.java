package io.gregor.storage.producer;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.storage.txn.AbortedTxn;
import io.gregor.storage.txn.CompletedTxn;
import io.gregor.storage.txn.TxnMarker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 * Transactions: a transactional batch of a producer with no open transaction here opens one at
 * its first offset; a marker (COMMIT or ABORT control batch) ends it. The first unstable offset
 * ({@link #firstUnstableOffset}) is the first offset of the oldest transaction that is open, or
 * ended by a marker not yet below the high watermark (a marker that could still be lost with the
 * leader); the log's last stable offset is the lower of it and the high watermark. A marker for a
 * producer with no open transaction here is legal (the coordinator writes one to every partition
 * it was told of) and only moves the producer's epochs.
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
    /** Open transactions: first offset to producer id. */
    private final TreeMap<Long, Long> openTransactions = new TreeMap<>();
    /** Ended transactions whose marker is not yet below the high watermark, in marker order. */
    private final ArrayDeque<CompletedTxn> unreplicated = new ArrayDeque<>();

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
            if (entry.inTransaction() && !batch.isTransactional() && epoch == entry.epoch()) {
                throw new InvalidTxnStateException("Producer " + producerId + " sent a non-transactional batch"
                        + " while its transaction from offset " + entry.currentTxnFirstOffset() + " is open on "
                        + topicPartition);
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

    /**
     * Checks a batch the broker itself writes for a producer (a transactional offset commit):
     * only its epoch, since such batches carry no client sequence.
     *
     * @throws InvalidProducerEpochException for an epoch older than the known one
     */
    public void checkEpoch(long producerId, short epoch) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry != null && epoch < entry.epoch()) {
            throw new InvalidProducerEpochException("Producer " + producerId + " epoch " + epoch
                    + " is older than the current epoch " + entry.epoch() + " on " + topicPartition);
        }
    }

    /**
     * Checks a transaction marker before it is written: its producer epoch must not be older than
     * the producer's (with KIP-890 the coordinator writes it with the bumped epoch, and may write it
     * again with the same one), nor its coordinator epoch older than the last marker's.
     *
     * @throws InvalidProducerEpochException for an older producer epoch
     * @throws TransactionCoordinatorFencedException for an older coordinator epoch
     */
    public void checkMarker(long producerId, short epoch, int coordinatorEpoch) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            return;
        }
        if (epoch < entry.epoch()) {
            throw new InvalidProducerEpochException("Transaction marker for producer " + producerId + " has epoch "
                    + epoch + ", older than the current epoch " + entry.epoch() + " on " + topicPartition);
        }
        if (coordinatorEpoch < entry.coordinatorEpoch()) {
            throw new TransactionCoordinatorFencedException("Transaction marker for producer " + producerId
                    + " comes from coordinator epoch " + coordinatorEpoch + ", older than "
                    + entry.coordinatorEpoch() + " on " + topicPartition);
        }
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

    /**
     * Makes an append's collected changes the state, once its bytes are written. Returns the
     * transactions its markers aborted, for the transaction index.
     */
    public List<AbortedTxn> apply(PendingProducerBatches pending) {
        List<AbortedTxn> aborted = List.of();
        for (PendingProducerBatches.Change change : pending.all()) {
            if (change instanceof PendingProducerBatches.Pending data) {
                update(data.producerId(), data.epoch(), data.batch(), data.transactional());
            } else if (change instanceof PendingProducerBatches.PendingMarker marker) {
                Optional<AbortedTxn> ended = endTransaction(marker.producerId(), marker.epoch(),
                        marker.coordinatorEpoch(), marker.aborted(), marker.offset(), marker.timestamp());
                if (ended.isPresent()) {
                    aborted = aborted.isEmpty() ? new ArrayList<>(1) : aborted;
                    aborted.add(ended.get());
                }
            }
        }
        return aborted;
    }

    /**
     * Applies a batch read back from the log (recovery, or a follower's copy), without checks.
     * Returns the transaction it aborted, if it is an ABORT marker ending one.
     */
    public Optional<AbortedTxn> replay(RecordBatch batch) {
        if (tracked(batch)) {
            update(batch.producerId(), batch.producerEpoch(), metadataOf(batch), batch.isTransactional());
        } else if (batch.isControlBatch() && batch.hasProducerId()) {
            Optional<TxnMarker> marker = TxnMarker.of(batch);
            if (marker.isPresent()) {
                return endTransaction(batch.producerId(), batch.producerEpoch(), marker.get().coordinatorEpoch(),
                        marker.get().aborted(), batch.baseOffset(), batch.maxTimestamp());
            }
        }
        return Optional.empty();
    }

    private void update(long producerId, short epoch, BatchMetadata batch, boolean transactional) {
        ProducerStateEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch));
        entry.add(epoch, batch);
        if (transactional && !entry.inTransaction()) {
            entry.beginTransaction(batch.firstOffset());
            openTransactions.put(batch.firstOffset(), producerId);
        }
    }

    private Optional<AbortedTxn> endTransaction(long producerId, short epoch, int coordinatorEpoch, boolean aborted,
                                                long markerOffset, long timestamp) {
        ProducerStateEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch));
        long firstOffset = entry.currentTxnFirstOffset();
        entry.endTransaction(epoch, coordinatorEpoch, timestamp);
        if (firstOffset == ProducerStateEntry.NO_TXN) {
            return Optional.empty(); // nothing of this producer's here: the marker ends no transaction
        }
        openTransactions.remove(firstOffset);
        unreplicated.addLast(new CompletedTxn(producerId, firstOffset, markerOffset, aborted));
        if (!aborted) {
            return Optional.empty();
        }
        long stableAfter = openTransactions.isEmpty() ? markerOffset + 1
                : Math.min(openTransactions.firstKey(), markerOffset + 1);
        return Optional.of(new AbortedTxn(producerId, firstOffset, markerOffset, stableAfter));
    }

    /** The high watermark moved: the transactions whose marker is now below it are stable. */
    public void onHighWatermark(long highWatermark) {
        while (!unreplicated.isEmpty() && unreplicated.peekFirst().markerOffset() < highWatermark) {
            unreplicated.removeFirst();
        }
    }

    /**
     * The first offset of the oldest transaction not yet stable (open, or ended by a marker not
     * below the high watermark), or {@link Long#MAX_VALUE} when every transaction is stable.
     */
    public long firstUnstableOffset() {
        long first = openTransactions.isEmpty() ? Long.MAX_VALUE : openTransactions.firstKey();
        for (CompletedTxn txn : unreplicated) {
            first = Math.min(first, txn.firstOffset());
        }
        return first;
    }

    /** Copies of every producer's state (DescribeProducers). */
    public List<ProducerStateEntry> entries() {
        List<ProducerStateEntry> copies = new ArrayList<>(producers.size());
        for (ProducerStateEntry entry : producers.values()) {
            copies.add(entry.copy());
        }
        return copies;
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

    /**
     * Forgets every producer whose last batch is older than {@code expirationMs}, unless it has a
     * transaction open here (its marker is still to come); returns how many.
     */
    public int expire(long nowMs, long expirationMs) {
        int removed = 0;
        for (Iterator<ProducerStateEntry> it = producers.values().iterator(); it.hasNext(); ) {
            ProducerStateEntry entry = it.next();
            if (!entry.inTransaction() && nowMs - entry.lastTimestamp() >= expirationMs) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** Forgets every producer (before a reload, or when the log is emptied). */
    public void clear() {
        producers.clear();
        openTransactions.clear();
        unreplicated.clear();
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
        clear();
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
                    if (entry.inTransaction()) {
                        openTransactions.put(entry.currentTxnFirstOffset(), entry.producerId());
                    }
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
