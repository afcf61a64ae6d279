package io.gregor.broker.coordinator;

import io.gregor.broker.partition.Partition;
import io.gregor.broker.partition.ReadOutcome;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.BaseRecords;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.storage.log.FileRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A coordinator shard's log over the partition this broker leads (a {@code __consumer_offsets} or
 * {@code __transaction_state} partition). Thread-safe as the partition is.
 */
public final class PartitionCoordinatorLog implements CoordinatorLog {
    private static final short ACKS_ALL = -1;

    private final Partition partition;

    public PartitionCoordinatorLog(Partition partition) {
        this.partition = partition;
    }

    public boolean isOver(Partition other) {
        return partition == other;
    }

    @Override
    public TopicPartition topicPartition() {
        return partition.topicPartition();
    }

    @Override
    public CompletableFuture<?> append(MemoryRecords records) {
        return partition.appendAsLeader(records, ACKS_ALL, Partition.COORDINATOR_COMMIT_TIMEOUT_MS);
    }

    @Override
    public CompletableFuture<?> appendTransactional(MemoryRecords records) {
        return partition.appendAsCoordinator(records);
    }

    @Override
    public long logStartOffset() {
        return partition.logStartOffset();
    }

    @Override
    public ByteBuffer read(long offset, int maxBytes) {
        ReadOutcome read = partition.readToLogEnd(offset, maxBytes);
        if (read.error() != Errors.NONE) {
            throw read.error().exception("Cannot read " + partition.topicPartition() + " at " + offset);
        }
        return bytesOf(read.records());
    }

    private static ByteBuffer bytesOf(BaseRecords records) {
        if (records instanceof MemoryRecords memory) {
            return memory.buffer().duplicate();
        }
        if (records instanceof FileRecords file) {
            try {
                return file.readAll();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("Unexpected records " + records.getClass().getName());
    }
}
