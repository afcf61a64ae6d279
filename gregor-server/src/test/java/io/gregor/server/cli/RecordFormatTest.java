package io.gregor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("source", "import".getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>("orders", 2, 17L, 1_700_000_000_000L, TimestampType.CREATE_TIME,
                -1, -1, key, value, headers, Optional.empty());
    }

    @Test
    void templateFillsEveryPlaceholder() {
        RecordFormat format = RecordFormat.compile(
                "{topic}/{partition}@{offset} {timestamp} {key}={value} [{headers}]\\t{timestamp_ms}",
                RecordFormat.Binary.HEX);

        assertThat(format.format(record("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("orders/2@17 2023-11-14T22:13:20Z k=v [source=import]\t1700000000000");
    }

    @Test
    void nonTextBytesAreShownAsHexOrBase64AndNullAsNull() {
        byte[] binary = {(byte) 0xff, 0x00, 0x10};
        assertThat(RecordFormat.compile("{key} {value}", RecordFormat.Binary.HEX).format(record(null, binary)))
                .isEqualTo("null 0xff0010");
        assertThat(RecordFormat.compile("{value}", RecordFormat.Binary.BASE64).format(record(null, binary)))
                .isEqualTo("base64:/wAQ");
    }

    @Test
    void unknownPlaceholderIsAUsageError() {
        assertThatThrownBy(() -> RecordFormat.compile("{vaule}", RecordFormat.Binary.HEX))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("{vaule}");
    }

    @Test
    void jsonKeepsNullsAndHeaders() {
        assertThat(Json.writeCompact(RecordFormat.compile("{value}", RecordFormat.Binary.HEX)
                .toJson(record(null, "hi".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo("{\"topic\":\"orders\",\"partition\":2,\"offset\":17,\"timestamp\":1700000000000,"
                        + "\"key\":null,\"value\":\"hi\",\"headers\":{\"source\":\"import\"}}");
    }
}
