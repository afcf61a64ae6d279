package io.gregor.broker.group;

import io.gregor.broker.coordinator.CoordinatorLog;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A coordinator log in memory: each append is one batch, given the next offsets. Reads return
 * one batch at a time, so a replay takes one chunk per batch. A gate can hold reads back.
 */
final class InMemoryCoordinatorLog implements CoordinatorLog {
    private final List<ByteBuffer> batches = new ArrayList<>();
    private volatile CountDownLatch readGate = new CountDownLatch(0);
    private long nextOffset;

    @Override
    public TopicPartition topicPartition() {
        return new TopicPartition("__consumer_offsets", 0);
    }

    @Override
    public synchronized CompletableFuture<?> append(MemoryRecords records) {
        for (RecordBatch batch : records.batches()) {
            ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
            copy.put(batch.slice().duplicate()).flip();
            // The base offset is outside the batch CRC, as in a real log.
            copy.putLong(RecordBatch.BASE_OFFSET_OFFSET, nextOffset);
            nextOffset += batch.lastOffsetDelta() + 1;
            batches.add(copy);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public long logStartOffset() {
        return 0;
    }

    @Override
    public ByteBuffer read(long offset, int maxBytes) {
        try {
            readGate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        synchronized (this) {
            for (ByteBuffer batch : batches) {
                RecordBatch view = RecordBatch.of(batch.duplicate());
                if (view.lastOffset() >= offset) {
                    return batch.duplicate();
                }
            }
            return ByteBuffer.allocate(0);
        }
    }

    synchronized int batchCount() {
        return batches.size();
    }

    /** Holds reads until {@link #openReads()}. */
    void holdReads() {
        readGate = new CountDownLatch(1);
    }

    void openReads() {
        readGate.countDown();
    }
}
