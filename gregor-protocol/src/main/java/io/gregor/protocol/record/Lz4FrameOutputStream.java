package io.gregor.protocol.record;

import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;

/**
 * Writes one LZ4 frame as Kafka's producers do: independent 64 KB blocks, no block or content
 * checksums (the batch CRC already covers the bytes). See {@link Lz4Frame} for the layout.
 * A block that does not shrink is stored uncompressed. Not thread-safe.
 */
final class Lz4FrameOutputStream extends OutputStream {
    private final OutputStream out;
    private final LZ4Compressor compressor;
    private final byte[] block;
    private final byte[] compressed;
    private int blockLength;
    private boolean closed;

    /** @param level 0 or less for the fast compressor, otherwise the high compressor's level */
    Lz4FrameOutputStream(OutputStream out, int level) throws IOException {
        this.out = out;
        this.compressor = level <= 0 ? Lz4Frame.LZ4.fastCompressor() : Lz4Frame.LZ4.highCompressor(level);
        this.block = new byte[Lz4Frame.blockSize(Lz4Frame.BLOCK_SIZE_CODE_64KB)];
        this.compressed = new byte[4 + compressor.maxCompressedLength(block.length)];
        writeHeader();
    }

    private void writeHeader() throws IOException {
        byte[] header = new byte[7];
        Lz4Frame.writeIntLE(header, 0, Lz4Frame.MAGIC);
        header[4] = (byte) (Lz4Frame.VERSION | Lz4Frame.FLAG_BLOCK_INDEPENDENCE);
        header[5] = (byte) (Lz4Frame.BLOCK_SIZE_CODE_64KB << Lz4Frame.BD_BLOCK_SIZE_SHIFT);
        header[6] = Lz4Frame.headerChecksum(header, 4, 2);
        out.write(header);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (blockLength == block.length) {
            writeBlock();
        }
        block[blockLength++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        while (length > 0) {
            if (blockLength == block.length) {
                writeBlock();
            }
            int n = Math.min(length, block.length - blockLength);
            System.arraycopy(bytes, offset, block, blockLength, n);
            blockLength += n;
            offset += n;
            length -= n;
        }
    }

    private void writeBlock() throws IOException {
        if (blockLength == 0) {
            return;
        }
        int compressedLength = compressor.compress(block, 0, blockLength, compressed, 4, compressed.length - 4);
        if (compressedLength < blockLength) {
            Lz4Frame.writeIntLE(compressed, 0, compressedLength);
            out.write(compressed, 0, 4 + compressedLength);
        } else {
            Lz4Frame.writeIntLE(compressed, 0, blockLength | Lz4Frame.UNCOMPRESSED_BLOCK_FLAG);
            out.write(compressed, 0, 4);
            out.write(block, 0, blockLength);
        }
        blockLength = 0;
    }

    /** Ends the current block early so everything written so far reaches the stream. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        writeBlock();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            writeBlock();
            byte[] endMark = new byte[4];
            Lz4Frame.writeIntLE(endMark, 0, Lz4Frame.END_MARK);
            out.write(endMark);
            out.flush();
        } finally {
            closed = true;
            out.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("LZ4 frame stream is closed");
        }
    }
}
