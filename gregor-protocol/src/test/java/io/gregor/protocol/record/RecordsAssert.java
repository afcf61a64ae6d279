package io.gregor.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

final class RecordsAssert {
    private RecordsAssert() {
    }

    static void assertSameRecord(Record ours, org.apache.kafka.common.record.Record kafka) {
        assertThat(ours.offset()).isEqualTo(kafka.offset());
        assertThat(ours.timestamp()).isEqualTo(kafka.timestamp());
        assertThat(ours.key()).isEqualTo(kafka.key());
        assertThat(ours.value()).isEqualTo(kafka.value());
        assertThat(ours.sizeInBytes()).isEqualTo(kafka.sizeInBytes());
        List<Header> headers = ours.headers();
        assertThat(headers).hasSameSizeAs(kafka.headers());
        for (int i = 0; i < headers.size(); i++) {
            assertThat(headers.get(i).key()).isEqualTo(kafka.headers()[i].key());
            byte[] kafkaValue = kafka.headers()[i].value();
            assertThat(headers.get(i).value()).isEqualTo(kafkaValue == null ? null : ByteBuffer.wrap(kafkaValue));
        }
    }

    /** Half repetitive, half random bytes: compressible, but not trivially. */
    static byte[] mixedBytes(int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            bytes[i] = (i / 1000) % 2 == 0 ? (byte) (i % 7) : (byte) random.nextInt();
        }
        return bytes;
    }
}
