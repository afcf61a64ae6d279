package io.gregor.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MemoryRecordsBuilderTest {
    private static final long TS = 1_700_000_000_000L;

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaReadsBatchesWeBuildWithAValidCrc(CompressionType type) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().compression(type).baseOffset(10L)
                .partitionLeaderEpoch(4).producer(77L, (short) 2, 100).transactional(true);
        builder.append(TS, "k0".getBytes(), "v0".getBytes());
        builder.append(TS + 30, null, "v1".getBytes(), Header.of("h", "hv".getBytes()), Header.of("nil", null));
        builder.append(TS - 10, "k2".getBytes(), null);
        builder.append(TS + 5, "ключ".getBytes(), new byte[0], Header.of("ünï", new byte[0]));
        ByteBuffer buffer = builder.build().buffer();

        org.apache.kafka.common.record.RecordBatch kafka = KafkaBatches.kafkaView(buffer);
        kafka.ensureValid();
        assertThat((int) kafka.compressionType().id).isEqualTo(type.id());
        assertThat(kafka.baseOffset()).isEqualTo(10L);
        assertThat(kafka.lastOffset()).isEqualTo(13L);
        assertThat(kafka.partitionLeaderEpoch()).isEqualTo(4);
        assertThat(kafka.producerId()).isEqualTo(77L);
        assertThat(kafka.producerEpoch()).isEqualTo((short) 2);
        assertThat(kafka.baseSequence()).isEqualTo(100);
        assertThat(kafka.lastSequence()).isEqualTo(103);
        assertThat(kafka.isTransactional()).isTrue();
        assertThat(kafka.isControlBatch()).isFalse();
        assertThat(kafka.maxTimestamp()).isEqualTo(TS + 30);
        assertThat(kafka.countOrNull()).isEqualTo(4);
        assertThat(kafka.sizeInBytes()).isEqualTo(buffer.remaining());

        List<org.apache.kafka.common.record.Record> kafkaRecords = new ArrayList<>();
        kafka.forEach(kafkaRecords::add);
        List<Record> ours = new ArrayList<>();
        RecordBatch.of(buffer).records().forEach(ours::add);
        assertThat(kafkaRecords).hasSize(4);
        for (int i = 0; i < 4; i++) {
            RecordsAssert.assertSameRecord(ours.get(i), kafkaRecords.get(i));
        }
        assertThat(kafkaRecords).extracting(org.apache.kafka.common.record.Record::timestamp)
                .containsExactly(TS, TS + 30, TS - 10, TS + 5);
        assertThat(kafkaRecords.get(1).hasKey()).isFalse();
        assertThat(kafkaRecords.get(2).hasValue()).isFalse();
        assertThat(kafkaRecords.get(1).headers()[1].value()).isNull();
        assertThat(kafkaRecords.get(3).headers()[0].key()).isEqualTo("ünï");
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaReadsLargeMultiBlockBatchesWeBuild(CompressionType type) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().compression(type);
        byte[] value = RecordsAssert.mixedBytes(200_000);
        for (int i = 0; i < 3; i++) {
            builder.append(TS, null, value);
        }
        ByteBuffer buffer = builder.build().buffer();

        org.apache.kafka.common.record.RecordBatch kafka = KafkaBatches.kafkaView(buffer);
        kafka.ensureValid();
        List<ByteBuffer> values = new ArrayList<>();
        kafka.forEach(record -> values.add(record.value()));
        assertThat(values).hasSize(3).allSatisfy(v -> assertThat(v).isEqualTo(ByteBuffer.wrap(value)));
        assertThat(RecordBatch.of(buffer).records()).hasSize(3);
    }

    @Test
    void appendWithOffsetKeepsGapsAndKafkaSeesTheOffsets() {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().compression(CompressionType.GZIP);
        builder.appendWithOffset(500L, TS, bytes("a"), bytes("1"), List.of());
        builder.appendWithOffset(503L, TS, bytes("b"), bytes("2"), List.of());
        builder.appendWithOffset(510L, TS, bytes("c"), null, List.of());
        ByteBuffer buffer = builder.build().buffer();

        org.apache.kafka.common.record.RecordBatch kafka = KafkaBatches.kafkaView(buffer);
        kafka.ensureValid();
        assertThat(kafka.baseOffset()).isEqualTo(500L);
        assertThat(kafka.lastOffset()).isEqualTo(510L);
        List<Long> offsets = new ArrayList<>();
        kafka.forEach(record -> offsets.add(record.offset()));
        assertThat(offsets).containsExactly(500L, 503L, 510L);
    }

    @Test
    void offsetsMustIncrease() {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        builder.appendWithOffset(5L, TS, null, bytes("x"), List.of());

        assertThatThrownBy(() -> builder.appendWithOffset(5L, TS, null, bytes("y"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configurationAfterTheFirstRecordIsRejected() {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder();
        builder.append(TS, null, "x".getBytes());

        assertThatThrownBy(() -> builder.compression(CompressionType.ZSTD)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void logAppendTimeBatchesAreSeenByKafkaWithTheAppendTime() {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().compression(CompressionType.LZ4)
                .logAppendTime(TS + 1000);
        builder.append(TS, null, "x".getBytes());
        builder.append(TS + 1, null, "y".getBytes());
        ByteBuffer buffer = builder.build().buffer();

        org.apache.kafka.common.record.RecordBatch kafka = KafkaBatches.kafkaView(buffer);
        kafka.ensureValid();
        assertThat(kafka.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
        kafka.forEach(record -> assertThat(record.timestamp()).isEqualTo(TS + 1000));
    }

    @Test
    void deleteHorizonIsStoredWhereKafkaLooksForIt() {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().deleteHorizon(TS + 86_400_000L);
        builder.append(TS, "k".getBytes(), null);
        ByteBuffer buffer = builder.build().buffer();

        org.apache.kafka.common.record.RecordBatch kafka = KafkaBatches.kafkaView(buffer);
        kafka.ensureValid();
        assertThat(kafka.deleteHorizonMs()).hasValue(TS + 86_400_000L);
        RecordBatch ours = RecordBatch.of(buffer);
        assertThat(ours.deleteHorizonMs()).hasValue(TS + 86_400_000L);
        assertThat(ours.records()).extracting(Record::timestamp).containsExactly(TS);
    }

    @Test
    void transactionMarkersAreReadableByKafka() {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().baseOffset(42L).controlBatch(true)
                .transactional(true).producer(9L, (short) 1, RecordBatch.NO_SEQUENCE).partitionLeaderEpoch(3);
        builder.appendEndTransactionMarker(TS, io.gregor.protocol.record.ControlRecordType.COMMIT, 17);
        ByteBuffer buffer = builder.build().buffer();

        org.apache.kafka.common.record.RecordBatch kafka = KafkaBatches.kafkaView(buffer);
        kafka.ensureValid();
        assertThat(kafka.isControlBatch()).isTrue();
        org.apache.kafka.common.record.Record marker = kafka.iterator().next();
        assertThat(ControlRecordType.parse(marker.key())).isEqualTo(ControlRecordType.COMMIT);
        EndTransactionMarker parsed = EndTransactionMarker.deserialize(marker);
        assertThat(parsed.coordinatorEpoch()).isEqualTo(17);

        Record ours = RecordBatch.of(buffer).records().iterator().next();
        assertThat(io.gregor.protocol.record.ControlRecordType.of(ours))
                .hasValue(io.gregor.protocol.record.ControlRecordType.COMMIT);
        assertThat(io.gregor.protocol.record.ControlRecordType.coordinatorEpoch(ours)).isEqualTo(17);
    }

    @Test
    void weReadKafkasAbortMarkers() {
        ByteBuffer buffer = org.apache.kafka.common.record.MemoryRecords.withEndTransactionMarker(
                7L, TS, 2, 9L, (short) 1, new EndTransactionMarker(ControlRecordType.ABORT, 5)).buffer();

        RecordBatch batch = RecordBatch.of(buffer);
        batch.ensureValid();
        Record marker = batch.records().iterator().next();
        assertThat(batch.isControlBatch()).isTrue();
        assertThat(io.gregor.protocol.record.ControlRecordType.of(marker))
                .hasValue(io.gregor.protocol.record.ControlRecordType.ABORT);
        assertThat(io.gregor.protocol.record.ControlRecordType.coordinatorEpoch(marker)).isEqualTo(5);
    }

    @Test
    void buildingNothingGivesEmptyRecords() {
        assertThat(MemoryRecordsBuilder.builder().build().sizeInBytes()).isZero();
    }

    @Test
    void reportsUncompressedSizeToDecideWhenABatchIsFull() {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().compression(CompressionType.NONE);
        builder.append(TS, "k".getBytes(), "v".getBytes());
        builder.append(TS, "k".getBytes(), "v".getBytes());

        assertThat(builder.uncompressedSizeInBytes()).isEqualTo(builder.build().sizeInBytes());
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes());
    }

    @Test
    void keptLastOffsetPreservesARewrittenBatchsOffsetAndSequenceRange() {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder().baseOffset(100).producer(9L, (short) 1, 40)
                .keepLastOffset(104);
        builder.appendWithOffset(102, 5L, ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {2}), List.of());

        org.apache.kafka.common.record.RecordBatch batch = org.apache.kafka.common.record.MemoryRecords
                .readableRecords(builder.build().buffer()).batches().iterator().next();

        batch.ensureValid();
        assertThat(batch.baseOffset()).isEqualTo(100);
        assertThat(batch.lastOffset()).isEqualTo(104);
        assertThat(batch.baseSequence()).isEqualTo(40);
        assertThat(batch.lastSequence()).isEqualTo(44);
        assertThat(batch.iterator().next().offset()).isEqualTo(102);
    }

    @Test
    void aBatchLeftWithNoRecordKeepsItsHeader() {
        MemoryRecords empty = MemoryRecordsBuilder.builder().baseOffset(10).producer(9L, (short) 1, 3)
                .keepLastOffset(12).build();

        org.apache.kafka.common.record.RecordBatch batch = org.apache.kafka.common.record.MemoryRecords
                .readableRecords(empty.buffer()).batches().iterator().next();

        batch.ensureValid();
        assertThat(batch.countOrNull()).isZero();
        assertThat(batch.baseOffset()).isEqualTo(10);
        assertThat(batch.lastOffset()).isEqualTo(12);
        assertThat(batch.producerId()).isEqualTo(9L);
        assertThat(batch.lastSequence()).isEqualTo(5);
    }
}
