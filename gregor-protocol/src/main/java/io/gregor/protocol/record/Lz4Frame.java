package io.gregor.protocol.record;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Constants of the LZ4 frame format (lz4 project's lz4_Frame_format.md), the LZ4 framing
 * Kafka uses since KIP-57:
 *
 * <pre>
 * magic       uint32 LE  0x184D2204
 * FLG         int8       bits 7-6 version (01), 5 block independence, 4 block checksum,
 *                        3 content size, 2 content checksum, 1 reserved, 0 dictionary id
 * BD          int8       bits 6-4 block max size (4: 64 KB ... 7: 4 MB)
 * [content size uint64 LE] [dictionary id uint32 LE]
 * HC          int8       (xxHash32(FLG..last descriptor byte, seed 0) >> 8) & 0xFF
 * blocks      uint32 LE size (high bit: stored uncompressed), data, [uint32 LE xxHash32 of data]
 * end mark    uint32 0
 * [content checksum uint32 LE, xxHash32 of the whole uncompressed content]
 * </pre>
 *
 * <p>Kafka before 0.10 computed HC over the magic bytes too; that bug only ever applied to
 * magic 0 message sets, which Gregor does not read, so HC is always checked as specified.
 * Linked (dependent) blocks are not part of Kafka's LZ4 format and are rejected.
 */
final class Lz4Frame {
    static final int MAGIC = 0x184D2204;
    static final int VERSION = 0x40;
    static final int VERSION_MASK = 0xC0;
    static final int FLAG_BLOCK_INDEPENDENCE = 0x20;
    static final int FLAG_BLOCK_CHECKSUM = 0x10;
    static final int FLAG_CONTENT_SIZE = 0x08;
    static final int FLAG_CONTENT_CHECKSUM = 0x04;
    static final int FLAG_RESERVED = 0x02;
    static final int FLAG_DICTIONARY_ID = 0x01;
    static final int BD_BLOCK_SIZE_SHIFT = 4;
    static final int BD_RESERVED_MASK = 0x8F;
    /** 64 KB blocks, the size Kafka writes. */
    static final int BLOCK_SIZE_CODE_64KB = 4;
    static final int UNCOMPRESSED_BLOCK_FLAG = 0x80000000;
    static final int END_MARK = 0;

    static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
    static final XXHashFactory XXHASH = XXHashFactory.fastestInstance();
    static final XXHash32 HASH32 = XXHASH.hash32();

    private Lz4Frame() {
    }

    static int blockSize(int code) {
        return 1 << (8 + 2 * code);
    }

    static byte headerChecksum(byte[] descriptor, int offset, int length) {
        return (byte) ((HASH32.hash(descriptor, offset, length, 0) >> 8) & 0xFF);
    }

    static void writeIntLE(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
        bytes[offset + 2] = (byte) (value >>> 16);
        bytes[offset + 3] = (byte) (value >>> 24);
    }

    static int readIntLE(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16
                | (bytes[offset + 3] & 0xFF) << 24;
    }
}
