package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max.connections}: with that many connections open the broker stops accepting, and a
 * client that connects meanwhile is not refused but waits, then is served once one closes.
 */
class MaxConnectionsTest {
    private static final int MAX_CONNECTIONS = 3;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of("max.connections", String.valueOf(MAX_CONNECTIONS)));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aClientConnectingWhileTheBrokerIsFullWaitsAndIsServedOnceConnectionsClose() throws Exception {
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                RawConnection connection = new RawConnection(broker.bootstrapServers());
                open.add(connection);
                assertThat(connection.send(new ApiVersionsRequest.Builder().build())).as("connection %d", i + 1)
                        .isNotNull();
            }
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                KafkaFuture<String> clusterId = admin.describeCluster().clusterId();
                assertThat(completesWithinTwoSeconds(clusterId)).as("not served while the broker is full").isFalse();

                // The admin client needs two: its bootstrap connection and one to the broker as a node.
                open.remove(0).close();
                open.remove(0).close();
                assertThat(clusterId.get(60, TimeUnit.SECONDS)).as("served once connections closed").isNotBlank();
            }
        } finally {
            for (RawConnection connection : open) {
                connection.close();
            }
        }
    }

    private static boolean completesWithinTwoSeconds(KafkaFuture<?> answer) throws Exception {
        try {
            answer.get(2, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException stillWaiting) {
            return false;
        }
    }
}
