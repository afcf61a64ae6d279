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
    void clearEmptiesTheMapForTheNextLog() {
        OffsetMap map = new OffsetMap(4096);
        map.put(key("a"), 7);

        map.clear();

        assertThat(map.size()).isZero();
        assertThat(map.get(key("a"))).isEqualTo(-1);
        assertThat(map.get(key(""))).isEqualTo(-1);
    }

    @Test
    void keyPositionAndLimitAreRespected() {
        OffsetMap map = new OffsetMap(4096);
        ByteBuffer framed = ByteBuffer.wrap("xxabcyy".getBytes(StandardCharsets.UTF_8), 2, 3);

        map.put(framed, 42);

        assertThat(map.get(key("abc"))).isEqualTo(42);
        assertThat(framed.position()).isEqualTo(2);
    }
}
