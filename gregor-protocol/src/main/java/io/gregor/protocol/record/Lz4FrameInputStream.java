package io.gregor.protocol.record;

import java.io.IOException;
import java.io.InputStream;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.StreamingXXHash32;

/**
 * Reads one LZ4 frame (see {@link Lz4Frame}), verifying the header checksum and, when the
 * frame carries them, block checksums, content checksum and content size. Malformed frames
 * fail with {@link CorruptRecordException}. Not thread-safe.
 */
final class Lz4FrameInputStream extends InputStream {
    private final InputStream in;
    private final LZ4SafeDecompressor decompressor = Lz4Frame.LZ4.safeDecompressor();
    private final boolean blockChecksums;
    private final boolean hasContentSize;
    private final long contentSize;
    private final StreamingXXHash32 contentHash;
    private final byte[] compressed;
    private final byte[] block;
    private final byte[] word = new byte[4];
    private int blockLength;
    private int blockPosition;
    private long totalRead;
    private boolean finished;

    Lz4FrameInputStream(InputStream in) throws IOException {
        this.in = in;
        byte[] header = new byte[14];
        readFully(header, 0, 6, "frame header");
        if (Lz4Frame.readIntLE(header, 0) != Lz4Frame.MAGIC) {
            throw new CorruptRecordException("Not an LZ4 frame: bad magic number");
        }
        int flags = header[4] & 0xFF;
        int descriptor = header[5] & 0xFF;
        if ((flags & Lz4Frame.VERSION_MASK) != Lz4Frame.VERSION) {
            throw new CorruptRecordException("Unsupported LZ4 frame version " + ((flags & Lz4Frame.VERSION_MASK) >> 6));
        }
        if ((flags & Lz4Frame.FLAG_RESERVED) != 0 || (descriptor & Lz4Frame.BD_RESERVED_MASK) != 0) {
            throw new CorruptRecordException("LZ4 frame descriptor has reserved bits set");
        }
        if ((flags & Lz4Frame.FLAG_BLOCK_INDEPENDENCE) == 0) {
            throw new CorruptRecordException("LZ4 frames with linked blocks are not supported by Kafka");
        }
        if ((flags & Lz4Frame.FLAG_DICTIONARY_ID) != 0) {
            throw new CorruptRecordException("LZ4 frames with a dictionary are not supported");
        }
        int blockSizeCode = descriptor >> Lz4Frame.BD_BLOCK_SIZE_SHIFT;
        if (blockSizeCode < Lz4Frame.BLOCK_SIZE_CODE_64KB) {
            throw new CorruptRecordException("Invalid LZ4 block size code " + blockSizeCode);
        }
        int descriptorEnd = 6;
        this.hasContentSize = (flags & Lz4Frame.FLAG_CONTENT_SIZE) != 0;
        if (hasContentSize) {
            readFully(header, 6, 8, "content size");
            this.contentSize = (Lz4Frame.readIntLE(header, 6) & 0xFFFFFFFFL)
                    | ((long) Lz4Frame.readIntLE(header, 10) << 32);
            descriptorEnd += 8;
        } else {
            this.contentSize = 0;
        }
        if (readByte() != Lz4Frame.headerChecksum(header, 4, descriptorEnd - 4)) {
            throw new CorruptRecordException("LZ4 frame header checksum does not match");
        }
        this.blockChecksums = (flags & Lz4Frame.FLAG_BLOCK_CHECKSUM) != 0;
        this.contentHash = (flags & Lz4Frame.FLAG_CONTENT_CHECKSUM) != 0 ? Lz4Frame.XXHASH.newStreamingHash32(0) : null;
        int maxBlockSize = Lz4Frame.blockSize(blockSizeCode);
        this.compressed = new byte[maxBlockSize];
        this.block = new byte[maxBlockSize];
    }

    @Override
    public int read() throws IOException {
        if (!ensureBlock()) {
            return -1;
        }
        return block[blockPosition++] & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!ensureBlock()) {
            return -1;
        }
        int n = Math.min(length, blockLength - blockPosition);
        System.arraycopy(block, blockPosition, bytes, offset, n);
        blockPosition += n;
        return n;
    }

    @Override
    public int available() {
        return blockLength - blockPosition;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean ensureBlock() throws IOException {
        while (blockPosition == blockLength) {
            if (finished) {
                return false;
            }
            readBlock();
        }
        return true;
    }

    private void readBlock() throws IOException {
        int sizeField = readIntLE("block size");
        if (sizeField == Lz4Frame.END_MARK) {
            finish();
            return;
        }
        boolean stored = (sizeField & Lz4Frame.UNCOMPRESSED_BLOCK_FLAG) != 0;
        int size = sizeField & ~Lz4Frame.UNCOMPRESSED_BLOCK_FLAG;
        if (size > block.length) {
            throw new CorruptRecordException("LZ4 block of " + size + " bytes exceeds the frame's block size "
                    + block.length);
        }
        byte[] target = stored ? block : compressed;
        readFully(target, 0, size, "block");
        if (blockChecksums) {
            int expected = readIntLE("block checksum");
            if (Lz4Frame.HASH32.hash(target, 0, size, 0) != expected) {
                throw new CorruptRecordException("LZ4 block checksum does not match");
            }
        }
        if (stored) {
            blockLength = size;
        } else {
            try {
                blockLength = decompressor.decompress(compressed, 0, size, block, 0, block.length);
            } catch (LZ4Exception e) {
                throw new CorruptRecordException("Malformed LZ4 block", e);
            }
        }
        blockPosition = 0;
        totalRead += blockLength;
        if (contentHash != null) {
            contentHash.update(block, 0, blockLength);
        }
    }

    private void finish() throws IOException {
        finished = true;
        blockLength = 0;
        blockPosition = 0;
        if (contentHash != null && readIntLE("content checksum") != contentHash.getValue()) {
            throw new CorruptRecordException("LZ4 content checksum does not match");
        }
        if (hasContentSize && totalRead != contentSize) {
            throw new CorruptRecordException("LZ4 frame declares " + contentSize + " bytes but holds " + totalRead);
        }
    }

    private int readIntLE(String what) throws IOException {
        readFully(word, 0, 4, what);
        return Lz4Frame.readIntLE(word, 0);
    }

    private byte readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new CorruptRecordException("LZ4 frame ends inside its header");
        }
        return (byte) b;
    }

    private void readFully(byte[] bytes, int offset, int length, String what) throws IOException {
        if (in.readNBytes(bytes, offset, length) != length) {
            throw new CorruptRecordException("LZ4 frame ends inside its " + what);
        }
    }
}
