package io.gregor.storage.recovery;

import io.gregor.storage.log.BatchLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Walks a segment file batch by batch from position 0, checking each batch's framing, magic and
 * CRC32C, and stops at the first one that is torn (runs past the end) or corrupt. What lies
 * before that point is the valid prefix the segment is truncated to. Used at recovery only: it
 * reads every byte. Not thread-safe; runs before the log is published.
 */
public final class BatchScanner {
    /** Receives each valid batch: its bytes (position 0 = batch start) and its file position. */
    @FunctionalInterface
    public interface Visitor {
        void onBatch(ByteBuffer batch, int position);
    }

    /** How far the file is valid, and why the scan stopped early if it did. */
    public record Result(int validBytes, Optional<String> problem) {
    }

    private BatchScanner() {
    }

    public static Result scan(FileChannel channel, Visitor visitor) throws IOException {
        long fileSize = channel.size();
        ByteBuffer header = ByteBuffer.allocate(BatchLayout.HEADER_SIZE);
        ByteBuffer batch = ByteBuffer.allocate(64 * 1024);
        int position = 0;
        while (position < fileSize) {
            if (fileSize - position < BatchLayout.HEADER_SIZE) {
                return new Result(position, Optional.of("torn batch header at position " + position));
            }
            header.clear();
            readFully(channel, header, position);
            int size = BatchLayout.sizeInBytes(header, 0);
            if (size < BatchLayout.HEADER_SIZE) {
                return new Result(position, Optional.of("invalid batch length " + size + " at position " + position));
            }
            if (position + (long) size > fileSize) {
                return new Result(position, Optional.of("torn batch at position " + position));
            }
            if (BatchLayout.magic(header, 0) != BatchLayout.CURRENT_MAGIC) {
                return new Result(position, Optional.of("unsupported magic at position " + position));
            }
            if (batch.capacity() < size) {
                batch = ByteBuffer.allocate(Math.max(size, batch.capacity() * 2));
            }
            batch.clear().limit(size);
            readFully(channel, batch, position);
            if (!BatchLayout.isCrcValid(batch, 0)) {
                return new Result(position, Optional.of("CRC mismatch at position " + position));
            }
            visitor.onBatch(batch, position);
            position += size;
        }
        return new Result(position, Optional.empty());
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int read = channel.read(dst, at);
            if (read < 0) {
                throw new IOException("Unexpected end of file at " + at);
            }
            at += read;
        }
        dst.flip();
    }
}
