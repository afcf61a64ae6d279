package io.gregor.protocol.record;

import java.nio.ByteBuffer;

/**
 * Record batches held in a byte buffer, usually a slice of the request frame they arrived in
 * (no copy). The buffer's position..limit is the data; this class never moves the position.
 */
public final class MemoryRecords implements BaseRecords {
    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;

    public MemoryRecords(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * A view of the bytes positioned at the first batch; it shares their content, so the
     * broker can patch batch headers (offsets, leader epoch) through it.
     */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    @Override
    public int sizeInBytes() {
        return buffer.remaining();
    }

    /**
     * The batches, in order. Iteration throws {@link TruncatedBatchException} if the bytes end
     * inside a batch and {@link UnsupportedMagicException} on a pre-magic-2 batch.
     */
    public Iterable<RecordBatch> batches() {
        return () -> RecordBatchIterator.strict(buffer);
    }

    /** An iterator that stops quietly at a partial trailing batch; see {@link RecordBatchIterator}. */
    public RecordBatchIterator batchIteratorAllowingTruncatedTail() {
        return RecordBatchIterator.lenient(buffer);
    }
}
