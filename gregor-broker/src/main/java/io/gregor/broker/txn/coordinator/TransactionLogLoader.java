package io.gregor.broker.txn.coordinator;

import io.gregor.broker.group.CoordinatorLog;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.Record;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.protocol.record.RecordBatchIterator;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Replays a {@code __transaction_state} partition into its shard, one chunk per call, so that
 * requests arriving meanwhile are answered (COORDINATOR_LOAD_IN_PROGRESS) between chunks. The
 * last record of a transactional id wins; a tombstone forgets it.
 *
 * <p>Thread-safety: none; runs on the shard's thread only.
 */
final class TransactionLogLoader {
    private static final int CHUNK_BYTES = 1024 * 1024;

    private final CoordinatorLog log;
    private final Map<String, TransactionMetadata> transactions;
    private final Consumer<Optional<Throwable>> done;
    private long nextOffset = -1;

    TransactionLogLoader(CoordinatorLog log, Map<String, TransactionMetadata> transactions,
                         Consumer<Optional<Throwable>> done) {
        this.log = log;
        this.transactions = transactions;
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
                if (!batch.isControlBatch()) {
                    for (Record record : batch.records()) {
                        if (record.hasKey()) {
                            replay(record);
                        }
                    }
                }
                nextOffset = batch.nextOffset();
            }
            if (nextOffset == before) {
                throw new IllegalStateException("No whole batch at offset " + nextOffset + " of " + log.topicPartition());
            }
            requeue.accept(() -> loadNextChunk(requeue));
        } catch (RuntimeException e) {
            done.accept(Optional.of(e));
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
