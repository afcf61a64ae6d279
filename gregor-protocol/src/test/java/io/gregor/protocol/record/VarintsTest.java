package io.gregor.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;

class VarintsTest {
    private static final int[] INTS = {0, 1, -1, 63, -64, 64, -65, 8191, 8192, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final long[] LONGS = {0L, 1L, -1L, 1L << 35, -(1L << 35), Long.MAX_VALUE, Long.MIN_VALUE};

    @Test
    void encodesVarintsExactlyAsKafkaDoes() {
        for (int value : INTS) {
            ByteBuffer ours = ByteBuffer.allocate(5);
            Varints.writeVarint(ours, value);
            ByteBuffer kafka = ByteBuffer.allocate(5);
            ByteUtils.writeVarint(value, kafka);

            assertThat(ours.flip()).as("%d", value).isEqualTo(kafka.flip());
            assertThat(Varints.sizeOfVarint(value)).isEqualTo(ByteUtils.sizeOfVarint(value));
            assertThat(Varints.readVarint(kafka.duplicate())).isEqualTo(value);
        }
    }

    @Test
    void encodesVarlongsExactlyAsKafkaDoes() {
        for (long value : LONGS) {
            ByteBuffer ours = ByteBuffer.allocate(10);
            Varints.writeVarlong(ours, value);
            ByteBuffer kafka = ByteBuffer.allocate(10);
            ByteUtils.writeVarlong(value, kafka);

            assertThat(ours.flip()).as("%d", value).isEqualTo(kafka.flip());
            assertThat(Varints.sizeOfVarlong(value)).isEqualTo(ByteUtils.sizeOfVarlong(value));
            assertThat(Varints.readVarlong(kafka.duplicate())).isEqualTo(value);
        }
    }

    @Test
    void overlongOrCutVarintsAreCorrupt() {
        ByteBuffer overlong = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, 0x01});
        assertThatThrownBy(() -> Varints.readVarint(overlong)).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> Varints.readVarint(ByteBuffer.wrap(new byte[] {(byte) 0x80})))
                .isInstanceOf(CorruptRecordException.class);
    }
}
