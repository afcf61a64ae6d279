package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorBroker;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connections.max.idle.ms}: the broker closes a client connection that neither sends nor
 * receives for that long, but not one whose request is still in progress; clients reconnect. A
 * client that stalls in the middle of a request is idle too, so the request memory it holds
 * ({@code queued.max.request.bytes}) comes back.
 */
class IdleConnectionsTest {
    private static final long MAX_IDLE_MS = 1_000;
    private static final int REQUEST_MEMORY = 1 << 20;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = GregorBroker.start(dataDir, Map.of("connections.max.idle.ms", Long.toString(MAX_IDLE_MS),
                "socket.request.max.bytes", Integer.toString(REQUEST_MEMORY),
                "queued.max.request.bytes", Integer.toString(REQUEST_MEMORY)));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(
                    new NewTopic("idle", 1, (short) 1), new NewTopic("empty", 1, (short) 1),
                    new NewTopic("after-stall", 1, (short) 1)));
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aSilentConnectionIsClosedAndClientsReconnectAfterIt() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            producer.send(new ProducerRecord<>("idle", "first", "v")).get(30, TimeUnit.SECONDS);

            try (RawConnection silent = new RawConnection(broker.bootstrapServers())) {
                silent.readTimeout(Duration.ofSeconds(20));
                assertThatThrownBy(silent::readFrame)
                        .as("closed by the broker, not a read timeout here")
                        .isInstanceOf(EOFException.class);
            }

            // the producer's own connection has been as silent as that one
            producer.send(new ProducerRecord<>("idle", "second", "v")).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(new TopicPartition("idle", 0)));
            assertThat(Clients.pollUntil(consumer, 2, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::key).containsExactly("first", "second");
        }
    }

    @Test
    void aClientStalledInTheMiddleOfARequestIsClosedAndItsRequestMemoryComesBack() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of());
             RawConnection stalled = new RawConnection(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>("after-stall", "before", "v")).get(30, TimeUnit.SECONDS);

            // a request of all the request memory, of which only the start ever arrives
            stalled.writeRaw(ByteBuffer.allocate(4 + 100).putInt(REQUEST_MEMORY).array());

            assertThat(producer.send(new ProducerRecord<>("after-stall", "after", "v")).get(30, TimeUnit.SECONDS)
                    .offset()).as("served once the stalled connection idled out").isEqualTo(1);
            stalled.readTimeout(Duration.ofSeconds(20));
            assertThatThrownBy(stalled::readFrame).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void aLongPollLongerThanTheIdleTimeIsAnswered() throws Exception {
        int maxWaitMs = (int) (3 * MAX_IDLE_MS);
        Map<TopicPartition, FetchRequest.PartitionData> wanted = new LinkedHashMap<>();
        wanted.put(new TopicPartition("empty", 0),
                new FetchRequest.PartitionData(Uuid.ZERO_UUID, 0, 0, 1 << 20, Optional.empty()));
        FetchRequest request = FetchRequest.Builder.forConsumer((short) 12, maxWaitMs, 1 << 20, wanted)
                .build((short) 12);

        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            long start = System.nanoTime();
            FetchResponse response = (FetchResponse) connection.send(request);

            assertThat(response.data().errorCode()).isZero();
            assertThat(response.data().responses().get(0).partitions().get(0).errorCode()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("parked for its max wait, past connections.max.idle.ms")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(maxWaitMs - 100));
        }
    }
}
