package io.gregor.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerIdManagerTest {
    @TempDir
    Path dir;

    @Test
    void idsAreNeverReusedAcrossRestartsOfTheNode() {
        ProducerIdManager first = new ProducerIdManager(dir, 0);
        long a = first.nextProducerId();
        long b = first.nextProducerId();

        ProducerIdManager restarted = new ProducerIdManager(dir, 0);
        long c = restarted.nextProducerId();

        assertThat(b).isEqualTo(a + 1);
        assertThat(c).as("a restart skips the rest of the reserved block").isEqualTo(a + ProducerIdManager.BLOCK_SIZE);
    }

    @Test
    void nodesOfAClusterHandOutDisjointIds() {
        Set<Long> seen = new HashSet<>();
        for (int node = 1; node <= 3; node++) {
            ProducerIdManager ids = new ProducerIdManager(dir.resolve("node-" + node), node);
            for (int i = 0; i < 2_500; i++) {
                long id = ids.nextProducerId();
                assertThat(id).isPositive();
                assertThat(seen.add(id)).as("id %d of node %d is new", id, node).isTrue();
            }
        }
    }

    @Test
    void nodeIdsWithoutARangeOfTheirOwnAreRefused() {
        assertThatThrownBy(() -> new ProducerIdManager(dir, 1 << 23)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProducerIdManager(dir, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
