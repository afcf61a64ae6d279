package io.gregor.broker.txn.coordinator;

import io.gregor.broker.coordinator.CoordinatorLog;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@code __transaction_state} partition in memory: each append is one batch at the next
 * offsets, durable at once unless appends are held ({@link #holdAppends()}), in which case those
 * waiting complete in order on each {@link #releaseAppends()}.
 */
final class InMemoryTransactionLog implements CoordinatorLog {
    private final List<ByteBuffer> batches = new ArrayList<>();
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private boolean holding;
    private long nextOffset;

    @Override
    public TopicPartition topicPartition() {
        return new TopicPartition("__transaction_state", 0);
    }

    @Override
    public CompletableFuture<?> append(MemoryRecords records) {
        CompletableFuture<Void> durable;
        synchronized (this) {
            for (RecordBatch batch : records.batches()) {
                ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
                copy.put(batch.slice().duplicate()).flip();
                copy.putLong(RecordBatch.BASE_OFFSET_OFFSET, nextOffset);
                nextOffset += batch.lastOffsetDelta() + 1;
                batches.add(copy);
            }
            if (!holding) {
                return CompletableFuture.completedFuture(null);
            }
            durable = new CompletableFuture<>();
            held.add(durable);
        }
        return durable;
    }

    synchronized void holdAppends() {
        holding = true;
    }

    void releaseAppends() {
        List<CompletableFuture<Void>> release;
        synchronized (this) {
            release = List.copyOf(held);
            held.clear();
        }
        release.forEach(future -> future.complete(null));
    }

    synchronized int heldAppends() {
        return held.size();
    }

    synchronized int batchCount() {
        return batches.size();
    }

    @Override
    public long logStartOffset() {
        return 0;
    }

    @Override
    public synchronized ByteBuffer read(long offset, int maxBytes) {
        for (ByteBuffer batch : batches) {
            if (RecordBatch.of(batch.duplicate()).lastOffset() >= offset) {
                return batch.duplicate();
            }
        }
        return ByteBuffer.allocate(0);
    }
}
