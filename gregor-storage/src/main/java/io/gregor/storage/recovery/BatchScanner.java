package io.gregor.storage.recovery;

import io.gregor.protocol.record.CorruptRecordException;
import io.gregor.protocol.record.RecordBatch;
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
    /** Receives each valid batch (a view over its bytes, valid during the call) and its file position. */
    @FunctionalInterface
    public interface Visitor {
        void onBatch(RecordBatch batch, int position);
    }

    /** How far the file is valid, and why the scan stopped early if it did. */
    public record Result(int validBytes, Optional<String> problem) {
    }

    private BatchScanner() {
    }

    public static Result scan(FileChannel channel, Visitor visitor) throws IOException {
        long fileSize = channel.size();
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
        int position = 0;
        while (position < fileSize) {
            if (fileSize - position < RecordBatch.HEADER_SIZE) {
                return stop(position, "torn batch header");
            }
            header.clear();
            readFully(channel, header, position);
            int size;
            try {
                size = RecordBatch.at(header, 0).sizeInBytes();
            } catch (CorruptRecordException e) { // also UnsupportedMagicException
                return stop(position, e.getMessage());
            }
            if (position + (long) size > fileSize) {
                return stop(position, "torn batch");
            }
            if (bytes.capacity() < size) {
                bytes = ByteBuffer.allocate(Math.max(size, bytes.capacity() * 2));
            }
            bytes.clear().limit(size);
            readFully(channel, bytes, position);
            RecordBatch batch = RecordBatch.at(bytes, 0);
            if (!batch.isValid()) {
                return stop(position, "CRC mismatch");
            }
            visitor.onBatch(batch, position);
            position += size;
        }
        return new Result(position, Optional.empty());
    }

    private static Result stop(int position, String problem) {
        return new Result(position, Optional.of(problem + " at position " + position));
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
