package io.gregor.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OffsetMapTest {
    static ByteBuffer key(String key) {
        return ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void remembersTheLatestOffsetOfEachKey() {
        OffsetMap map = new OffsetMap(64 * 1024);
        map.reset(300);

        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 100; k++) {
                map.put(key("key-" + k), round * 100L + k);
            }
        }

        assertThat(map.size()).isEqualTo(100);
        assertThat(map.get(key("key-0"))).isEqualTo(200);
        assertThat(map.get(key("key-99"))).isEqualTo(299);
        assertThat(map.get(key("absent"))).isEqualTo(-1);
    }

    @Test
    void capacityIsBoundedByTheBufferAndCheckedBeforeAdding() {
        OffsetMap map = new OffsetMap(24 * 100); // 100 slots, 90 usable
        map.reset(1_000);

        assertThat(map.capacity()).isEqualTo(90);
        for (int k = 0; k < 90; k++) {
            assertThat(map.hasRoomFor(1)).isTrue();
            map.put(key("key-" + k), k);
        }
        assertThat(map.hasRoomFor(1)).isFalse();
        map.put(key("key-5"), 500); // an existing key still updates
        assertThat(map.get(key("key-5"))).isEqualTo(500);
        assertThatThrownBy(() -> map.put(key("one-too-many"), 1)).isInstanceOf(IllegalStateException.class);
        for (int k = 0; k < 90; k++) {
            assertThat(map.get(key("key-" + k))).isEqualTo(k == 5 ? 500 : k);
        }
    }

    @Test
    void resetEmptiesTheMapForTheNextLog() {
        OffsetMap map = new OffsetMap(1 << 20);
        map.reset(10);
        map.put(key("a"), 7);

        map.reset(10);

        assertThat(map.size()).isZero();
        assertThat(map.get(key("a"))).isEqualTo(-1);
        assertThat(map.get(key(""))).isEqualTo(-1);
    }

    @Test
    void resetSizesTheTableForTheExpectedKeysWithinTheBuffer() {
        OffsetMap map = new OffsetMap(24 * 100_000); // at most 90,000 keys

        map.reset(5_000);
        assertThat(map.capacity()).isBetween(5_000, 10_000);
        for (int k = 0; k < 5_000; k++) {
            map.put(key("key-" + k), k);
        }

        map.reset(1_000_000); // more than the buffer holds: the whole buffer
        assertThat(map.capacity()).isEqualTo(90_000);
        assertThat(map.get(key("key-1"))).isEqualTo(-1);
        for (int k = 0; k < 90_000; k++) {
            map.put(key("key-" + k), k);
        }
        assertThat(map.get(key("key-89999"))).isEqualTo(89_999);

        map.reset(10); // smaller again: the old entries are gone from the part in use
        for (int k = 0; k < 900; k++) {
            assertThat(map.get(key("key-" + k))).isEqualTo(-1);
        }
    }

    @Test
    void keyPositionAndLimitAreRespected() {
        OffsetMap map = new OffsetMap(4096);
        map.reset(10);
        ByteBuffer framed = ByteBuffer.wrap("xxabcyy".getBytes(StandardCharsets.UTF_8), 2, 3);

        map.put(framed, 42);

        assertThat(map.get(key("abc"))).isEqualTo(42);
        assertThat(framed.position()).isEqualTo(2);
    }
}
