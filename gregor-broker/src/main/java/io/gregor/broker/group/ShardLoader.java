package io.gregor.broker.group;

import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.Record;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.protocol.record.RecordBatchIterator;
import io.gregor.storage.txn.TxnMarker;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Replays a {@code __consumer_offsets} partition into its coordinator shard, one chunk per
 * call: the shard's thread runs a chunk, then queues the next behind whatever requests came
 * meanwhile, so those are answered (COORDINATOR_LOAD_IN_PROGRESS) instead of waiting for the
 * whole partition. The shard is the partition's only writer and writes nothing while loading,
 * so the replay ends at the log end it finds. Transactional batches (TxnOffsetCommit) are
 * replayed as pending until the producer's marker, which commits or aborts them.
 *
 * <p>Thread-safety: none; runs on the shard's thread only.
 */
final class ShardLoader {
    private static final int CHUNK_BYTES = 1024 * 1024;

    private final CoordinatorLog log;
    /** Where the records read back go, by kind. */
    interface Replay {
        void record(GroupRecords.Entry entry);

        /** A record of a producer's open transaction (TxnOffsetCommit), pending until its marker. */
        void transactionalRecord(long producerId, GroupRecords.Entry entry);

        /** A transaction marker: the producer's pending records are committed or aborted. */
        void marker(long producerId, boolean commit);
    }

    private final Replay replay;
    private final Consumer<Optional<Throwable>> done;
    private long nextOffset = -1;

    ShardLoader(CoordinatorLog log, Replay replay, Consumer<Optional<Throwable>> done) {
        this.log = log;
        this.replay = replay;
        this.done = done;
    }

    /** Replays one chunk and hands the next one to {@code requeue}, or reports the load done. */
    void loadNextChunk(Consumer<Runnable> requeue) {
        try {
            if (nextOffset < 0) {
                nextOffset = log.logStartOffset();
            }
            ByteBuffer buffer = log.read(nextOffset, CHUNK_BYTES);
            if (!buffer.hasRemaining()) {
                done.accept(Optional.empty());
                return;
            }
            RecordBatchIterator batches = new MemoryRecords(buffer).batchIteratorAllowingTruncatedTail();
            long before = nextOffset;
            while (batches.hasNext()) {
                RecordBatch batch = batches.next();
                if (batch.isControlBatch()) {
                    if (batch.hasProducerId()) {
                        TxnMarker.of(batch).ifPresent(marker -> replay.marker(batch.producerId(), !marker.aborted()));
                    }
                } else {
                    boolean transactional = batch.isTransactional() && batch.hasProducerId();
                    for (Record record : batch.records()) {
                        if (record.hasKey()) {
                            Optional<GroupRecords.Entry> entry = GroupRecords.decode(record.key(),
                                    record.hasValue() ? Optional.of(record.value()) : Optional.empty());
                            if (entry.isPresent() && transactional) {
                                replay.transactionalRecord(batch.producerId(), entry.get());
                            } else {
                                entry.ifPresent(replay::record);
                            }
                        }
                    }
                }
                nextOffset = batch.nextOffset();
            }
            if (nextOffset == before) {
                throw new IllegalStateException("No whole batch at offset " + nextOffset + " of "
                        + log.topicPartition());
            }
            requeue.accept(() -> loadNextChunk(requeue));
        } catch (RuntimeException e) {
            done.accept(Optional.of(e));
        }
    }
}
