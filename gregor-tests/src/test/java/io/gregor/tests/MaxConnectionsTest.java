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
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfigCollection;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max.connections}: with that many connections open the broker stops accepting, and a
 * client that connects meanwhile is not refused but waits, then is served once one closes or the
 * limit is raised at run time (a dynamic broker config).
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

    @Test
    void raisingMaxConnectionsAtRunTimeLetsAWaitingClientIn() throws Exception {
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                open.add(new RawConnection(broker.bootstrapServers()));
                assertThat(open.get(i).send(new ApiVersionsRequest.Builder().build())).isNotNull();
            }
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                KafkaFuture<String> clusterId = admin.describeCluster().clusterId();
                assertThat(completesWithinTwoSeconds(clusterId)).as("not served while the broker is full").isFalse();

                // the broker is full: the change goes over a connection it already has
                IncrementalAlterConfigsResponse raised = (IncrementalAlterConfigsResponse) open.get(0).send(
                        new IncrementalAlterConfigsRequest.Builder(new IncrementalAlterConfigsRequestData()
                                .setResources(new AlterConfigsResourceCollection(List.of(new AlterConfigsResource()
                                        .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("1")
                                        .setConfigs(new AlterableConfigCollection(List.of(new AlterableConfig()
                                                .setName("max.connections").setValue("10")
                                                .setConfigOperation(AlterConfigOp.OpType.SET.id())).iterator())))
                                        .iterator()))).build());
                assertThat(raised.data().responses()).singleElement()
                        .satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.NONE.code()));

                assertThat(clusterId.get(60, TimeUnit.SECONDS)).as("served once the limit was raised").isNotBlank();
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, "1"), List.of(
                        new AlterConfigOp(new ConfigEntry("max.connections", ""), AlterConfigOp.OpType.DELETE))))
                        .all().get(60, TimeUnit.SECONDS);
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
