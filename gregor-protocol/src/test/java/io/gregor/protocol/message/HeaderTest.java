package io.gregor.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.protocol.wire.ByteBufferWriter;
import io.gregor.protocol.wire.Readable;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.junit.jupiter.api.Test;

class HeaderTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] write(io.gregor.protocol.wire.Message message, int version) {
        ByteBufferWriter out = new ByteBufferWriter();
        message.write(out, (short) version);
        return out.toByteArray();
    }

    @Test
    void requestHeaderV0HasNoClientId() {
        RequestHeader header = new RequestHeader();
        header.read(new Readable(ByteBuffer.wrap(HEX.parseHex("0007" + "0000" + "0000002a"))), (short) 0);

        assertThat(header.requestApiKey()).isEqualTo((short) 7);
        assertThat(header.correlationId()).isEqualTo(42);
        assertThat(header.clientId()).isEmpty();
        assertThat(HEX.formatHex(write(header.setClientId("dropped"), 0))).isEqualTo("00070000" + "0000002a");
    }

    @Test
    void requestHeaderV1WritesClientIdAsClassicNullableString() {
        RequestHeader header = new RequestHeader().setRequestApiKey((short) 3).setRequestApiVersion((short) 1)
                .setCorrelationId(5).setClientId("ab");

        assertThat(HEX.formatHex(write(header, 1))).isEqualTo("0003" + "0001" + "00000005" + "0002" + "6162");
        assertThat(HEX.formatHex(write(header.setClientId(null), 1))).isEqualTo("0003000100000005" + "ffff");
    }

    @Test
    void requestHeaderV2KeepsClassicClientIdAndAddsTaggedFields() {
        RequestHeader ours = new RequestHeader().setRequestApiKey((short) 0).setRequestApiVersion((short) 11)
                .setCorrelationId(-1).setClientId("producer-1");
        RequestHeaderData kafka = new RequestHeaderData().setRequestApiKey((short) 0).setRequestApiVersion((short) 11)
                .setCorrelationId(-1).setClientId("producer-1");

        byte[] bytes = write(ours, 2);

        assertThat(bytes).isEqualTo(KafkaCompatibilityTest.kafkaWrite(kafka, (short) 2));
        assertThat(HEX.formatHex(bytes)).startsWith("0000000bffffffff" + "000a").endsWith("00");
    }

    @Test
    void responseHeaderV0IsTheCorrelationIdOnly() {
        assertThat(HEX.formatHex(write(new ResponseHeader().setCorrelationId(258), 0))).isEqualTo("00000102");
    }

    @Test
    void responseHeaderV1AddsAnEmptyTaggedFieldsSection() {
        byte[] bytes = write(new ResponseHeader().setCorrelationId(258), 1);

        assertThat(HEX.formatHex(bytes)).isEqualTo("00000102" + "00");
        assertThat(bytes).isEqualTo(KafkaCompatibilityTest.kafkaWrite(new ResponseHeaderData().setCorrelationId(258), (short) 1));
    }
}
