package io.gregor.broker.group;

import io.gregor.broker.coordinator.ChunkedLogReplay;
import io.gregor.broker.coordinator.CoordinatorLog;
import io.gregor.protocol.record.Record;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.storage.txn.TxnMarker;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Replays a {@code __consumer_offsets} partition into its coordinator shard, one chunk per call
 * ({@link ChunkedLogReplay} walks the log). Transactional batches (TxnOffsetCommit) are
 * replayed as pending until the producer's marker, which commits or aborts them.
 *
 * <p>Thread-safety: none; runs on the shard's thread only.
 */
final class ShardLoader {
    /** Where the records read back go, by kind. */
    interface Replay {
        void record(GroupRecords.Entry entry);

        /** A record of a producer's open transaction (TxnOffsetCommit), pending until its marker. */
        void transactionalRecord(long producerId, GroupRecords.Entry entry);

        /** A transaction marker: the producer's pending records are committed or aborted. */
        void marker(long producerId, boolean commit);
    }

    private final Replay replay;
    private final ChunkedLogReplay chunks;

    ShardLoader(CoordinatorLog log, Replay replay, Consumer<Optional<Throwable>> done) {
        this.replay = replay;
        this.chunks = new ChunkedLogReplay(log, this::replay, done);
    }

    /** Replays one chunk and hands the next one to {@code requeue}, or reports the load done. */
    void loadNextChunk(Consumer<Runnable> requeue) {
        chunks.loadNextChunk(requeue);
    }

    private void replay(RecordBatch batch) {
        if (batch.isControlBatch()) {
            if (batch.hasProducerId()) {
                TxnMarker.of(batch).ifPresent(marker -> replay.marker(batch.producerId(), !marker.aborted()));
            }
            return;
        }
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
}
