package io.gregor.protocol.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks the batches in a buffer's position..limit, one fresh {@link RecordBatch} view each,
 * never moving the buffer's position. It only checks that each batch is whole and magic 2;
 * CRCs are the caller's choice ({@link RecordBatch#ensureValid()}).
 *
 * <p>Two ways to meet a buffer that ends inside a batch:
 * <ul>
 *   <li>{@link #strict} throws {@link TruncatedBatchException} once the whole batches are
 *       consumed (produce requests: a partial batch is a malformed request);</li>
 *   <li>{@link #lenient} just stops, and {@link #validBytes()} / {@link #trailingBytes()} tell
 *       the caller what was whole (log recovery truncates to validBytes; fetch responses may
 *       legitimately end in a partial batch).</li>
 * </ul>
 */
public final class RecordBatchIterator implements Iterator<RecordBatch> {
    private final ByteBuffer buffer;
    private final boolean failOnTruncatedTail;
    private int next;

    private RecordBatchIterator(ByteBuffer buffer, boolean failOnTruncatedTail) {
        this.buffer = buffer;
        this.failOnTruncatedTail = failOnTruncatedTail;
        this.next = buffer.position();
    }

    public static RecordBatchIterator strict(ByteBuffer buffer) {
        return new RecordBatchIterator(buffer, true);
    }

    public static RecordBatchIterator lenient(ByteBuffer buffer) {
        return new RecordBatchIterator(buffer, false);
    }

    /**
     * @throws UnsupportedMagicException if the next batch is not magic 2
     * @throws TruncatedBatchException in strict mode, when only a partial batch remains
     */
    @Override
    public boolean hasNext() {
        int remaining = buffer.limit() - next;
        if (remaining == 0) {
            return false;
        }
        if (remaining > RecordBatch.MAGIC_OFFSET) {
            byte magic = buffer.get(next + RecordBatch.MAGIC_OFFSET);
            if (magic != RecordBatch.MAGIC) {
                throw new UnsupportedMagicException(magic);
            }
        }
        if (remaining >= RecordBatch.HEADER_SIZE) {
            int length = buffer.getInt(next + RecordBatch.LENGTH_OFFSET);
            if (length < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD) {
                throw new CorruptRecordException("Record batch at byte " + (next - buffer.position())
                        + " has impossible length " + length);
            }
            if ((long) length + RecordBatch.LOG_OVERHEAD <= remaining) {
                return true;
            }
        }
        if (failOnTruncatedTail) {
            throw new TruncatedBatchException(validBytes(), remaining);
        }
        return false;
    }

    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RecordBatch batch = RecordBatch.at(buffer, next);
        next += batch.sizeInBytes();
        return batch;
    }

    /** Bytes of the whole batches returned so far. */
    public int validBytes() {
        return next - buffer.position();
    }

    /** Bytes after the batches returned so far; non-zero after the end means a partial batch. */
    public int trailingBytes() {
        return buffer.limit() - next;
    }
}
