package io.gregor.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.protocol.record.CompressionType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Batches rewritten in a topic's codec, checked by kafka-clients as the oracle. */
class TopicCompressionTest {
    private static final int MAX_MESSAGE_BYTES = 1_048_588;

    @Test
    void producerMeansAsSentAndUncompressedMeansNone() {
        assertThat(TopicCompression.target("producer")).isEmpty();
        assertThat(TopicCompression.target("uncompressed")).contains(CompressionType.NONE);
        assertThat(TopicCompression.target("zstd")).contains(CompressionType.ZSTD);
    }

    @Test
    void anIdempotentLz4BatchIsRewrittenInZstdWithItsRecordsAndProducerState() {
        ByteBuffer lz4 = idempotentBatch(Compression.lz4().build(), (short) 3, 41);

        ByteBuffer stored = TopicCompression.recompress(lz4.duplicate(), CompressionType.ZSTD, MAX_MESSAGE_BYTES);

        List<RecordBatch> batches = TestBatches.parse(stored.duplicate());
        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch.compressionType()).isEqualTo(org.apache.kafka.common.record.CompressionType.ZSTD);
            assertThat(batch.producerId()).isEqualTo(7L);
            assertThat(batch.producerEpoch()).isEqualTo((short) 3);
            assertThat(batch.baseSequence()).isEqualTo(41);
            assertThat(batch.lastOffset()).isEqualTo(2L);
        });
        assertThat(records(stored)).isEqualTo(records(lz4));
    }

    @Test
    void batchesAlreadyInTheTopicsCodecAreLeftAsTheyCame() {
        ByteBuffer zstd = idempotentBatch(Compression.zstd().build(), (short) 1, 0);

        assertThat(TopicCompression.recompress(zstd, CompressionType.ZSTD, MAX_MESSAGE_BYTES)).isSameAs(zstd);
    }

    private static ByteBuffer idempotentBatch(Compression compression, short epoch, int baseSequence) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.CURRENT_MAGIC_VALUE, compression,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, 7L, epoch, baseSequence);
        for (int i = 0; i < 3; i++) {
            builder.append(new SimpleRecord(1_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8),
                    new RecordHeader[] {new RecordHeader("h", new byte[] {(byte) i})}));
        }
        return builder.build().buffer();
    }

    /** Offset, timestamp, key, value and headers of every record, as text. */
    private static List<String> records(ByteBuffer bytes) {
        List<String> records = new ArrayList<>();
        for (RecordBatch batch : TestBatches.parse(bytes.duplicate())) {
            for (Record record : batch) {
                records.add(record.offset() + "@" + record.timestamp() + " " + text(record.key()) + "="
                        + text(record.value()) + " " + record.headers()[0].key() + record.headers()[0].value()[0]);
            }
        }
        return records;
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
