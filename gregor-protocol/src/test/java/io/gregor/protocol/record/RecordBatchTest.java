package io.gregor.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordBatchTest {

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void readsEveryHeaderFieldOfABatchWrittenByKafka(CompressionType type) {
        ByteBuffer buffer = KafkaBatches.build(type, 100L, 5, 42L, (short) 3, 17, true);
        org.apache.kafka.common.record.RecordBatch kafka = KafkaBatches.kafkaView(buffer);

        RecordBatch batch = RecordBatch.of(buffer);

        assertThat(batch.baseOffset()).isEqualTo(100L);
        assertThat(batch.lastOffset()).isEqualTo(104L);
        assertThat(batch.nextOffset()).isEqualTo(105L);
        assertThat(batch.lastOffsetDelta()).isEqualTo(4);
        assertThat(batch.sizeInBytes()).isEqualTo(kafka.sizeInBytes()).isEqualTo(buffer.remaining());
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.checksum()).isEqualTo(kafka.checksum());
        assertThat(batch.compressionType().id()).isEqualTo(kafka.compressionType().id);
        assertThat(batch.compressionType()).isEqualTo(type);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.baseTimestamp()).isEqualTo(KafkaBatches.BASE_TIMESTAMP);
        assertThat(batch.maxTimestamp()).isEqualTo(kafka.maxTimestamp()).isEqualTo(KafkaBatches.BASE_TIMESTAMP + 20);
        assertThat(batch.producerId()).isEqualTo(42L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(17);
        assertThat(batch.lastSequence()).isEqualTo(21);
        assertThat(batch.recordsCount()).isEqualTo(5);
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.isControlBatch()).isFalse();
        assertThat(batch.hasDeleteHorizon()).isFalse();
        assertThat(batch.deleteHorizonMs()).isEmpty();
        assertThat(batch.isValid()).isTrue();
        batch.ensureValid();
    }

    @Test
    void patchingBaseOffsetAndLeaderEpochKeepsTheCrcValid() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.NONE, 0L, 3);
        RecordBatch batch = RecordBatch.of(buffer);
        long crcBefore = batch.checksum();

        batch.setBaseOffset(1234L);
        batch.setPartitionLeaderEpoch(99);

        assertThat(batch.checksum()).isEqualTo(crcBefore);
        assertThat(batch.isValid()).isTrue();
        org.apache.kafka.common.record.RecordBatch kafka = KafkaBatches.kafkaView(buffer);
        assertThat(kafka.isValid()).isTrue();
        assertThat(kafka.baseOffset()).isEqualTo(1234L);
        assertThat(kafka.lastOffset()).isEqualTo(1236L);
        assertThat(kafka.partitionLeaderEpoch()).isEqualTo(99);
    }

    @Test
    void logAppendTimeRewriteRecomputesTheCrcAndKafkaSeesTheNewType() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.LZ4, 0L, 3);
        RecordBatch batch = RecordBatch.of(buffer);

        batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 1_800_000_000_000L);

        assertThat(batch.isValid()).isTrue();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        org.apache.kafka.common.record.RecordBatch kafka = KafkaBatches.kafkaView(buffer);
        kafka.ensureValid();
        assertThat(kafka.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
        assertThat(kafka.maxTimestamp()).isEqualTo(1_800_000_000_000L);
        assertThat(kafka.compressionType()).isEqualTo(org.apache.kafka.common.record.CompressionType.LZ4);
        kafka.forEach(record -> assertThat(record.timestamp()).isEqualTo(1_800_000_000_000L));
    }

    @Test
    void aCorruptedByteFailsValidation() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.NONE, 0L, 3);
        int index = buffer.limit() - 3;
        buffer.put(index, (byte) (buffer.get(index) ^ 0x01));
        RecordBatch batch = RecordBatch.of(buffer);

        assertThat(batch.isValid()).isFalse();
        assertThatThrownBy(batch::ensureValid).isInstanceOf(CorruptRecordException.class).hasMessageContaining("CRC");
    }

    @Test
    void corruptingAttributesFailsValidationBecauseTheCrcCoversThem() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.NONE, 0L, 1);
        buffer.put(RecordBatch.ATTRIBUTES_OFFSET + 1, (byte) 0x10);

        assertThat(RecordBatch.of(buffer).isValid()).isFalse();
    }

    @Test
    void walksConsecutiveBatches() {
        ByteBuffer buffer = KafkaBatches.concat(
                KafkaBatches.build(CompressionType.NONE, 0L, 2),
                KafkaBatches.build(CompressionType.GZIP, 2L, 3),
                KafkaBatches.build(CompressionType.ZSTD, 5L, 1));
        List<Long> baseOffsets = new ArrayList<>();

        for (RecordBatch batch : RecordBatch.batches(buffer)) {
            batch.ensureValid();
            baseOffsets.add(batch.baseOffset());
        }

        assertThat(baseOffsets).containsExactly(0L, 2L, 5L);
        assertThat(buffer.position()).isZero();
    }

    @Test
    void strictIterationReportsATruncatedTrailingBatchWithTheValidPrefix() {
        ByteBuffer first = KafkaBatches.build(CompressionType.NONE, 0L, 2);
        ByteBuffer second = KafkaBatches.build(CompressionType.NONE, 2L, 2);
        ByteBuffer buffer = KafkaBatches.concat(first, second.limit(second.limit() - 5));
        List<RecordBatch> read = new ArrayList<>();

        assertThatThrownBy(() -> RecordBatch.batches(buffer).forEach(read::add))
                .isInstanceOfSatisfying(TruncatedBatchException.class, e -> {
                    assertThat(e.validBytes()).isEqualTo(first.remaining());
                    assertThat(e.trailingBytes()).isEqualTo(second.remaining());
                });
        assertThat(read).hasSize(1);
    }

    @Test
    void lenientIterationStopsAtATruncatedHeaderAndReportsValidBytes() {
        ByteBuffer first = KafkaBatches.build(CompressionType.NONE, 0L, 2);
        ByteBuffer buffer = KafkaBatches.concat(first, ByteBuffer.wrap(new byte[10]));
        RecordBatchIterator iterator = RecordBatchIterator.lenient(buffer);

        assertThat(iterator.next().baseOffset()).isZero();
        assertThat(iterator.hasNext()).isFalse();
        assertThat(iterator.validBytes()).isEqualTo(first.remaining());
        assertThat(iterator.trailingBytes()).isEqualTo(10);
    }

    @Test
    void legacyMagicIsReportedAsUnsupported() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.NONE, 0L, 1);
        buffer.put(RecordBatch.MAGIC_OFFSET, (byte) 1);

        assertThatThrownBy(() -> RecordBatch.of(buffer))
                .isInstanceOfSatisfying(UnsupportedMagicException.class, e -> assertThat(e.magic()).isEqualTo((byte) 1));
        assertThatThrownBy(() -> RecordBatch.batches(buffer).iterator().hasNext())
                .isInstanceOf(UnsupportedMagicException.class);
    }

    @Test
    void impossibleBatchLengthIsCorrupt() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.NONE, 0L, 1);
        buffer.putInt(RecordBatch.LENGTH_OFFSET, 3);

        assertThatThrownBy(() -> RecordBatch.of(buffer)).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> RecordBatch.batches(buffer).iterator().hasNext())
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void batchLengthBeyondTwoGigabytesIsCorrupt() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.NONE, 0L, 1);
        buffer.putInt(RecordBatch.LENGTH_OFFSET, Integer.MAX_VALUE);

        assertThatThrownBy(() -> RecordBatch.of(buffer)).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> RecordBatch.batches(buffer).iterator().hasNext())
                .isInstanceOf(TruncatedBatchException.class);
    }

    @Test
    void oneViewCanBeRepointedAlongABuffer() {
        ByteBuffer first = KafkaBatches.build(CompressionType.NONE, 0L, 2);
        ByteBuffer buffer = KafkaBatches.concat(first, KafkaBatches.build(CompressionType.NONE, 2L, 3));
        RecordBatch view = RecordBatch.of(buffer);

        assertThat(view.wrap(buffer, first.remaining())).isSameAs(view);
        assertThat(view.baseOffset()).isEqualTo(2L);
        assertThat(view.recordsCount()).isEqualTo(3);
        assertThat(view.start() + view.sizeInBytes()).isEqualTo(buffer.limit());
    }

    @Test
    void memoryRecordsIteratesItsBatches() {
        MemoryRecords records = new MemoryRecords(KafkaBatches.concat(
                KafkaBatches.build(CompressionType.NONE, 0L, 2), KafkaBatches.build(CompressionType.NONE, 2L, 2)));

        List<Long> lastOffsets = new ArrayList<>();
        records.batches().forEach(batch -> lastOffsets.add(batch.lastOffset()));

        assertThat(lastOffsets).containsExactly(1L, 3L);
    }
}
