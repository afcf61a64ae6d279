package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max.connections.per.ip} and its overrides: a client address gets that many connections;
 * one more is closed as soon as it is accepted, and once one of them closes the address may
 * connect again. The test's own address, 127.0.0.1, has an override of 3 over a default of 1.
 */
class ConnectionsPerIpTest {
    private static final int LIMIT = 3;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of("max.connections.per.ip", "1",
                "max.connections.per.ip.overrides", "127.0.0.1:" + LIMIT));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aConnectionBeyondTheLimitOfItsAddressIsClosedAndTheAddressMayConnectOnceOneCloses() throws Exception {
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < LIMIT; i++) {
                RawConnection connection = new RawConnection(broker.bootstrapServers());
                open.add(connection);
                assertThat(apiVersionsErrorCode(connection)).as("connection %d of %d", i + 1, LIMIT).isZero();
            }

            try (RawConnection oneTooMany = new RawConnection(broker.bootstrapServers())) {
                assertThat(closedWithoutAnswer(oneTooMany)).as("closed by the broker without an answer").isTrue();
            }

            open.remove(0).close();
            Awaitility.await("a new connection is served once one closed").atMost(Duration.ofSeconds(15))
                    .until(() -> {
                        RawConnection connection = new RawConnection(broker.bootstrapServers());
                        if (closedWithoutAnswer(connection)) {
                            connection.close(); // the broker had not yet counted the close
                            return false;
                        }
                        open.add(connection);
                        return true;
                    });
        } finally {
            for (RawConnection connection : open) {
                connection.close();
            }
        }

        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            assertThat(producer.send(new ProducerRecord<>("after-limit", "k", "v")).get(30, TimeUnit.SECONDS).offset())
                    .as("clients within the limit are served as usual").isZero();
        }
    }

    /** Sends ApiVersions: false if answered (without error), true if the broker closed the connection instead. */
    private static boolean closedWithoutAnswer(RawConnection connection) throws IOException {
        try {
            assertThat(apiVersionsErrorCode(connection)).isZero();
            return false;
        } catch (EOFException | SocketException closed) {
            // end of stream if the broker closed before the request arrived, a reset if after
            return true;
        }
    }

    private static short apiVersionsErrorCode(RawConnection connection) throws IOException {
        return ((ApiVersionsResponse) connection.send(new ApiVersionsRequest.Builder().build())).data().errorCode();
    }
}
