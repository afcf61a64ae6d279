package io.gregor.protocol.record;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An in-memory output stream that hands out its bytes without a final copy and lets the
 * builder patch bytes already written (the batch header). Not thread-safe.
 */
final class GrowableOutputStream extends OutputStream {
    private byte[] bytes;
    private int size;

    GrowableOutputStream(int initialCapacity) {
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    @Override
    public void write(int b) {
        ensureCapacity(size + 1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensureCapacity(size + length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    /** Skips {@code length} bytes, to be filled in later through {@link #toByteBuffer()}. */
    void reserve(int length) {
        ensureCapacity(size + length);
        size += length;
    }

    /** A buffer over the bytes written so far (shares the array; no copy). */
    ByteBuffer toByteBuffer() {
        return ByteBuffer.wrap(bytes, 0, size).slice();
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            if (needed < 0) {
                throw new OutOfMemoryError("Record batch larger than 2 GB");
            }
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }
}
