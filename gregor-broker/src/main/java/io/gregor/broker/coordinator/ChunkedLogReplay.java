package io.gregor.broker.coordinator;

import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.protocol.record.RecordBatchIterator;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a coordinator shard's partition back from its start, one chunk of about a megabyte per
 * call, handing each batch to the shard's own replay: the shard's thread runs a chunk, then
 * queues the next behind whatever requests came meanwhile, so those are answered
 * (COORDINATOR_LOAD_IN_PROGRESS) instead of waiting for the whole partition. The shard is the
 * partition's only writer and writes nothing while loading, so the replay ends at the log end
 * it finds. What the records mean is the shard's business; this class only walks the log.
 *
 * <p>Thread-safety: none; runs on the shard's thread only.
 */
public final class ChunkedLogReplay {
    private static final int CHUNK_BYTES = 1024 * 1024;

    private final CoordinatorLog log;
    private final Consumer<RecordBatch> replay;
    private final Consumer<Optional<Throwable>> done;
    private long nextOffset = -1;

    /**
     * @param replay applies one batch (control batches included) to the shard's state
     * @param done   told once: empty when the log end is reached, else why the replay stopped
     */
    public ChunkedLogReplay(CoordinatorLog log, Consumer<RecordBatch> replay, Consumer<Optional<Throwable>> done) {
        this.log = log;
        this.replay = replay;
        this.done = done;
    }

    /** Replays one chunk and hands the next one to {@code requeue}, or reports the load done. */
    public void loadNextChunk(Consumer<Runnable> requeue) {
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
                replay.accept(batch);
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
