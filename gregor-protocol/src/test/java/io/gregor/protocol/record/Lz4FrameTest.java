package io.gregor.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.kafka.common.compress.Lz4BlockOutputStream;
import org.junit.jupiter.api.Test;

class Lz4FrameTest {
    private static final byte[] COMPRESSIBLE = RecordsAssert.mixedBytes(300_000);
    private static final byte[] INCOMPRESSIBLE = random(150_000);

    @Test
    void ourFramesAreReadByAStandardFrameReader() throws IOException {
        for (byte[] data : new byte[][] {COMPRESSIBLE, INCOMPRESSIBLE, new byte[0], new byte[] {1}}) {
            byte[] frame = compress(data, 0);

            try (InputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(frame))) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void highCompressionLevelsProduceReadableFrames() throws IOException {
        byte[] frame = compress(COMPRESSIBLE, 9);

        assertThat(CompressionType.LZ4.decompress(ByteBuffer.wrap(frame))).isEqualTo(ByteBuffer.wrap(COMPRESSIBLE));
    }

    @Test
    void incompressibleBlocksAreStoredRatherThanExpanded() throws IOException {
        byte[] frame = compress(INCOMPRESSIBLE, 0);

        int blocks = (INCOMPRESSIBLE.length + 65_535) / 65_536;
        assertThat(frame.length).isEqualTo(7 + blocks * 4 + INCOMPRESSIBLE.length + 4);
    }

    @Test
    void readsFramesWithBlockChecksumsContentChecksumAndContentSize() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new LZ4FrameOutputStream(bytes, LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB,
                COMPRESSIBLE.length, LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE)) {
            out.write(COMPRESSIBLE);
        }

        assertThat(CompressionType.LZ4.decompress(ByteBuffer.wrap(bytes.toByteArray())))
                .isEqualTo(ByteBuffer.wrap(COMPRESSIBLE));
    }

    @Test
    void readsKafkaFramesWithBlockChecksums() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new Lz4BlockOutputStream(bytes, Lz4BlockOutputStream.BLOCKSIZE_64KB, 9, true, false)) {
            out.write(COMPRESSIBLE);
        }

        assertThat(CompressionType.LZ4.decompress(ByteBuffer.wrap(bytes.toByteArray())))
                .isEqualTo(ByteBuffer.wrap(COMPRESSIBLE));
    }

    @Test
    void rejectsTheOldBrokenHeaderChecksumOnlyMagicZeroBatchesUsed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new Lz4BlockOutputStream(bytes, Lz4BlockOutputStream.BLOCKSIZE_64KB, 9, false, true)) {
            out.write(COMPRESSIBLE, 0, 1000);
        }

        assertThatThrownBy(() -> CompressionType.LZ4.decompress(ByteBuffer.wrap(bytes.toByteArray())))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("header checksum");
    }

    @Test
    void rejectsLinkedBlocks() throws IOException {
        byte[] frame = compress(COMPRESSIBLE, 0);
        frame[4] &= ~Lz4Frame.FLAG_BLOCK_INDEPENDENCE;
        frame[6] = Lz4Frame.headerChecksum(frame, 4, 2);

        assertThatThrownBy(() -> CompressionType.LZ4.decompress(ByteBuffer.wrap(frame)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("linked blocks");
    }

    @Test
    void rejectsACorruptBlockChecksum() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new Lz4BlockOutputStream(bytes, Lz4BlockOutputStream.BLOCKSIZE_64KB, 9, true, false)) {
            out.write(COMPRESSIBLE, 0, 1000);
        }
        byte[] frame = bytes.toByteArray();
        frame[frame.length - 6] ^= 0x01; // inside the block checksum, before the end mark

        assertThatThrownBy(() -> CompressionType.LZ4.decompress(ByteBuffer.wrap(frame)))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("block checksum");
    }

    @Test
    void rejectsAFrameCutShort() throws IOException {
        byte[] frame = compress(COMPRESSIBLE, 0);

        assertThatThrownBy(() -> CompressionType.LZ4.decompress(ByteBuffer.wrap(frame, 0, frame.length / 2)))
                .isInstanceOf(CorruptRecordException.class);
    }

    private static byte[] compress(byte[] data, int level) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = CompressionType.LZ4.wrapForOutput(bytes, level)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }
}
