package io.gregor.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.BufferSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTypeTest {
    private static final byte[] DATA = RecordsAssert.mixedBytes(100_000);

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaDecompressesWhatWeCompress(CompressionType type) throws Exception {
        ByteBuffer compressed = type.compress(ByteBuffer.wrap(DATA));

        try (InputStream in = KafkaBatches.compression(type).wrapForInput(compressed, (byte) 2, BufferSupplier.NO_CACHING)) {
            assertThat(in.readAllBytes()).isEqualTo(DATA);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void roundTripsAtEveryLevelTheCodecOffers(CompressionType type) {
        int[] levels = switch (type) {
            case GZIP -> new int[] {1, 9};
            case LZ4 -> new int[] {0, 1, 17};
            case ZSTD -> new int[] {-5, 1, 19};
            default -> new int[] {type.defaultLevel()};
        };
        for (int level : levels) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.OutputStream out = type.wrapForOutput(bytes, level)) {
                out.write(DATA);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(type.decompress(ByteBuffer.wrap(bytes.toByteArray()))).as("level %d", level)
                    .isEqualTo(ByteBuffer.wrap(DATA));
        }
    }

    @Test
    void readsRawSnappyWithoutXerialFramingAsSomeNonJavaClientsWrite() throws Exception {
        byte[] raw = org.xerial.snappy.Snappy.compress(DATA);

        assertThat(CompressionType.SNAPPY.decompress(ByteBuffer.wrap(raw))).isEqualTo(ByteBuffer.wrap(DATA));
    }

    @Test
    void looksUpByIdAndConfigName() {
        assertThat(CompressionType.forId(4)).isEqualTo(CompressionType.ZSTD);
        assertThat(CompressionType.forConfigName("snappy")).isEqualTo(CompressionType.SNAPPY);
        assertThatThrownBy(() -> CompressionType.forId(5)).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> CompressionType.forConfigName("brotli")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idsMatchKafkas() {
        for (CompressionType type : CompressionType.values()) {
            assertThat(org.apache.kafka.common.record.CompressionType.forId(type.id()).name)
                    .isEqualTo(type.configName());
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void boundedDecompressionRefusesToInflatePastItsLimit(CompressionType type) {
        ByteBuffer compressed = type.compress(ByteBuffer.allocate(1 << 20)); // 1 MiB of zeros

        assertThat(type.decompress(compressed.duplicate(), 1 << 20).remaining()).isEqualTo(1 << 20);
        assertThatThrownBy(() -> type.decompress(compressed.duplicate(), 64 * 1024))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("exceed");
    }
}
