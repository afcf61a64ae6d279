package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorBroker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max.connections.per.ip.overrides} changed while the broker runs, as a dynamic broker
 * config: connections from 127.0.0.2 (another loopback address, so that the admin client on
 * 127.0.0.1 is not limited) beyond the new limit are closed at once, those open before stay, and
 * deleting the override lifts the limit again. And {@code num.io.threads}, within Kafka's bounds
 * for a thread pool resized at run time.
 */
class DynamicConnectionLimitsTest {
    private static final String CLIENT_ADDRESS = "127.0.0.2";
    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, "1");

    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of());
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void aLowerLimitForAnAddressClosesItsNewConnectionsAndKeepsTheOpenOnes() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                open.add(connect());
                assertThat(answers(open.get(i))).as("connection %d before the change", i + 1).isTrue();
            }

            alter(new AlterConfigOp(new ConfigEntry("max.connections.per.ip.overrides", CLIENT_ADDRESS + ":2"),
                    AlterConfigOp.OpType.SET));
            await("a third connection from " + CLIENT_ADDRESS + " refused").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        try (Socket third = connect()) {
                            return !answers(third);
                        }
                    });
            for (Socket socket : open) {
                assertThat(answers(socket)).as("a connection open before the change").isTrue();
            }

            alter(new AlterConfigOp(new ConfigEntry("max.connections.per.ip.overrides", ""),
                    AlterConfigOp.OpType.DELETE));
            await("a third connection admitted again").atMost(Duration.ofSeconds(30)).until(() -> {
                try (Socket third = connect()) {
                    return answers(third);
                }
            });
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    @Test
    void numIoThreadsChangesAtRunTimeBetweenHalfAndDoubleTheThreadsInForce() throws Exception {
        try {
            alter(new AlterConfigOp(new ConfigEntry("num.io.threads", "16"), AlterConfigOp.OpType.SET));
            ConfigEntry threads = admin.describeConfigs(List.of(BROKER)).all().get().get(BROKER).get("num.io.threads");
            assertThat(threads.value()).isEqualTo("16");
            assertThat(threads.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);

            assertThatThrownBy(() -> alter(new AlterConfigOp(new ConfigEntry("num.io.threads", "33"),
                    AlterConfigOp.OpType.SET)))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("cannot be greater than double the current value 16");
            assertThatThrownBy(() -> alter(new AlterConfigOp(new ConfigEntry("num.io.threads", "7"),
                    AlterConfigOp.OpType.SET)))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("cannot be less than half the current value 16");
            // the I/O threads still serve what they serve: offsets by time are looked up on them
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("io-threads", 1, (short) 1)));
            assertThat(admin.listOffsets(Map.of(new TopicPartition("io-threads", 0), OffsetSpec.forTimestamp(0)))
                    .all().get()).hasSize(1);
        } finally {
            alter(new AlterConfigOp(new ConfigEntry("num.io.threads", ""), AlterConfigOp.OpType.DELETE));
        }
    }

    private static void alter(AlterConfigOp op) throws Exception {
        admin.incrementalAlterConfigs(Map.of(BROKER, List.of(op))).all().get();
    }

    private static Socket connect() throws IOException {
        String[] hostAndPort = broker.bootstrapServers().split(":");
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(CLIENT_ADDRESS, 0));
        socket.connect(new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Whether the broker answers an ApiVersions v0 request on this connection (a closed one does not). */
    private static boolean answers(Socket socket) {
        try {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(10); // api key, version, correlation id, null client id
            out.writeShort(18);
            out.writeShort(0);
            out.writeInt(7);
            out.writeShort(-1);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            in.readFully(new byte[size]);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }
}
