package io.gregor.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordIterationTest {

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void readsEveryRecordOfABatchWrittenByKafka(CompressionType type) {
        ByteBuffer buffer = KafkaBatches.build(type, 50L, 6);
        List<org.apache.kafka.common.record.Record> expected = new ArrayList<>();
        KafkaBatches.kafkaView(buffer).forEach(expected::add);

        List<Record> records = new ArrayList<>();
        RecordBatch.of(buffer).records().forEach(records::add);

        assertThat(records).hasSize(6);
        for (int i = 0; i < records.size(); i++) {
            RecordsAssert.assertSameRecord(records.get(i), expected.get(i));
            assertThat(records.get(i).offset()).isEqualTo(50L + i);
            assertThat(records.get(i).timestamp()).isEqualTo(KafkaBatches.BASE_TIMESTAMP + i * 5L);
        }
        assertThat(records.get(1).hasKey()).isFalse();
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(2).hasValue()).isFalse();
        assertThat(records.get(2).value()).isNull();
        assertThat(records.get(1).headers()).extracting(Header::key).containsExactly("h1", "empty");
        assertThat(records.get(1).headers().get(1).value()).isNull();
        assertThat(records.get(0).headers()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void readsLargeMultiBlockBatchesWrittenByKafka(CompressionType type) {
        org.apache.kafka.common.record.MemoryRecordsBuilder builder = org.apache.kafka.common.record.MemoryRecords.builder(
                ByteBuffer.allocate(1 << 20), KafkaBatches.compression(type),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0L);
        byte[] value = RecordsAssert.mixedBytes(150_000);
        for (int i = 0; i < 4; i++) {
            builder.append(KafkaBatches.BASE_TIMESTAMP, ("key" + i).getBytes(), value);
        }
        ByteBuffer buffer = builder.build().buffer();

        List<Record> records = new ArrayList<>();
        RecordBatch.of(buffer).records().forEach(records::add);

        assertThat(records).hasSize(4).allSatisfy(record -> assertThat(record.value()).isEqualTo(ByteBuffer.wrap(value)));
    }

    @Test
    void recordsOfALogAppendTimeBatchCarryTheBatchTimestamp() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.NONE, 0L, 3);
        RecordBatch batch = RecordBatch.of(buffer);
        batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 42L);

        assertThat(batch.records()).extracting(Record::timestamp).containsExactly(42L, 42L, 42L);
    }

    @Test
    void recordOffsetsFollowAPatchedBaseOffset() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.ZSTD, 0L, 3);
        RecordBatch batch = RecordBatch.of(buffer);
        batch.setBaseOffset(1000L);

        assertThat(batch.records()).extracting(Record::offset).containsExactly(1000L, 1001L, 1002L);
    }

    @Test
    void fewerRecordsThanDeclaredIsCorrupt() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.NONE, 0L, 3);
        buffer.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 4);

        assertThatThrownBy(() -> RecordBatch.of(buffer).records().forEach(r -> { }))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("declares 4 records");
    }

    @Test
    void bytesAfterTheDeclaredRecordsAreCorrupt() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.GZIP, 0L, 3);
        buffer.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 2);

        Iterator<Record> records = RecordBatch.of(buffer).records().iterator();
        records.next();
        records.next();
        assertThatThrownBy(records::hasNext).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void aRecordLongerThanItsBatchIsCorrupt() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.NONE, 0L, 1);
        buffer.put(RecordBatch.RECORDS_OFFSET, (byte) 0x7e); // first record's length varint: 63

        assertThatThrownBy(() -> RecordBatch.of(buffer).records().forEach(r -> { }))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void garbageInACompressedBatchIsCorrupt() {
        ByteBuffer buffer = KafkaBatches.build(CompressionType.SNAPPY, 0L, 3);
        buffer.put(RecordBatch.RECORDS_OFFSET + 2, (byte) 0x55);
        buffer.put(RecordBatch.RECORDS_OFFSET + 20, (byte) 0x55);

        assertThatThrownBy(() -> RecordBatch.of(buffer).records().forEach(r -> { }))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void iteratingTwiceDecompressesAgainAndYieldsTheSameRecords() {
        RecordBatch batch = RecordBatch.of(KafkaBatches.build(CompressionType.LZ4, 0L, 4));

        List<ByteBuffer> first = toValues(batch);

        assertThat(first).hasSize(4);
        assertThat(toValues(batch)).isEqualTo(first);
    }

    private static List<ByteBuffer> toValues(RecordBatch batch) {
        List<ByteBuffer> values = new ArrayList<>();
        batch.records().forEach(record -> values.add(record.value()));
        return values;
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void forEachRecordReusesOneInstanceAndSeesTheSameRecords(CompressionType type) {
        RecordBatch batch = RecordBatch.of(KafkaBatches.build(type, 0L, 5));
        List<Record> expected = new ArrayList<>();
        batch.records().forEach(expected::add);
        List<Record> seen = new ArrayList<>();
        List<String> described = new ArrayList<>();

        batch.forEachRecord(record -> {
            seen.add(record);
            described.add(describe(record));
        });

        assertThat(seen).hasSize(5).allSatisfy(record -> assertThat(record).isSameAs(seen.get(0)));
        List<String> expectedDescriptions = new ArrayList<>();
        expected.forEach(record -> expectedDescriptions.add(describe(record)));
        assertThat(described).isEqualTo(expectedDescriptions);
    }

    @Test
    void readsBatchesAndHeadersFromADirectBufferAtANonZeroPosition() {
        ByteBuffer heap = KafkaBatches.concat(KafkaBatches.build(CompressionType.NONE, 0L, 2),
                KafkaBatches.build(CompressionType.NONE, 2L, 2));
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining() + 7);
        direct.position(7);
        direct.put(heap.duplicate());
        direct.position(7);
        List<String> headerKeys = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();

        for (RecordBatch batch : RecordBatch.batches(direct)) {
            batch.ensureValid();
            for (Record record : batch.records()) {
                offsets.add(record.offset());
                record.headers().forEach(header -> headerKeys.add(header.key()));
            }
        }

        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L);
        assertThat(headerKeys).containsExactly("h1", "empty", "h1", "empty");
        assertThat(direct.position()).isEqualTo(7);
    }

    private static String describe(Record record) {
        StringBuilder text = new StringBuilder().append(record.offset()).append('/').append(record.timestamp())
                .append('/').append(text(record.key())).append('/').append(text(record.value()));
        record.headers().forEach(header -> text.append('/').append(header.key()).append('=').append(text(header.value())));
        return text.toString();
    }

    private static String text(ByteBuffer bytes) {
        return bytes == null ? "null" : java.nio.charset.StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
    }
}
