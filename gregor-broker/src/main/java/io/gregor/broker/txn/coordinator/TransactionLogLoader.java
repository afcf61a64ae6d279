package io.gregor.broker.txn.coordinator;

import io.gregor.broker.coordinator.ChunkedLogReplay;
import io.gregor.broker.coordinator.CoordinatorLog;
import io.gregor.protocol.record.Record;
import io.gregor.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Replays a {@code __transaction_state} partition into its shard, one chunk per call
 * ({@link ChunkedLogReplay} walks the log), so that requests arriving meanwhile are answered
 * (COORDINATOR_LOAD_IN_PROGRESS) between chunks. The last record of a transactional id wins; a
 * tombstone forgets it.
 *
 * <p>Thread-safety: none; runs on the shard's thread only.
 */
final class TransactionLogLoader {
    private final Map<String, TransactionMetadata> transactions;
    private final ChunkedLogReplay chunks;

    TransactionLogLoader(CoordinatorLog log, Map<String, TransactionMetadata> transactions,
                         Consumer<Optional<Throwable>> done) {
        this.transactions = transactions;
        this.chunks = new ChunkedLogReplay(log, this::replayBatch, done);
    }

    /** Replays one chunk and hands the next one to {@code requeue}, or reports the load done. */
    void loadNextChunk(Consumer<Runnable> requeue) {
        chunks.loadNextChunk(requeue);
    }

    private void replayBatch(RecordBatch batch) {
        if (batch.isControlBatch()) {
            return;
        }
        for (Record record : batch.records()) {
            if (record.hasKey()) {
                replay(record);
            }
        }
    }

    private void replay(Record record) {
        String transactionalId = TransactionRecords.transactionalId(record.key());
        Optional<ByteBuffer> value = record.hasValue() ? Optional.of(record.value()) : Optional.empty();
        TransactionRecords.metadata(transactionalId, value).ifPresentOrElse(
                metadata -> transactions.put(transactionalId, metadata),
                () -> transactions.remove(transactionalId));
    }
}
