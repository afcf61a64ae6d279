package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorBroker;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code queued.max.request.bytes} bounds the bytes of requests the broker holds at once, across
 * all connections: a client that announces a large request and then stalls holds the memory,
 * and the others wait, unread, until it goes; under a small bound many clients still get every
 * record through.
 */
class QueuedRequestBytesTest {
    private static final int BOUND = 1 << 20;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = GregorBroker.start(dataDir, Map.of(
                "socket.request.max.bytes", Integer.toString(BOUND),
                "queued.max.request.bytes", Integer.toString(BOUND),
                "num.partitions", "3"));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(
                    new NewTopic("held-back", 1, (short) 1), new NewTopic("shared", 3, (short) 1)));
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aStalledRequestHoldingAllTheMemoryHoldsBackOtherClientsUntilItGoes() throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000))) {
            producer.send(new ProducerRecord<>("held-back", "before", "v")).get(30, TimeUnit.SECONDS);

            RawConnection stalled = new RawConnection(broker.bootstrapServers());
            // a request of the whole bound, of which only the start ever arrives
            stalled.writeRaw(ByteBuffer.allocate(4 + 100).putInt(BOUND).array());
            Probe probe = awaitUnansweredProbe();

            Future<RecordMetadata> held = producer.send(new ProducerRecord<>("held-back", "during", "v"));
            assertThatThrownBy(() -> held.get(1, TimeUnit.SECONDS))
                    .as("the produce request is not read while the memory is held")
                    .isInstanceOf(TimeoutException.class);

            stalled.close();

            assertThat(held.get(30, TimeUnit.SECONDS).offset()).isEqualTo(1);
            probe.connection().readTimeout(Duration.ofSeconds(15));
            ApiVersionsResponse answer = (ApiVersionsResponse) AbstractResponse.parseResponse(
                    probe.connection().readFrame(), probe.header());
            assertThat(answer.data().errorCode()).as("the probe is answered now").isZero();
            probe.connection().close();
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(new TopicPartition("held-back", 0)));
            assertThat(Clients.pollUntil(consumer, 2, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::key).containsExactly("before", "during");
        }
    }

    /**
     * Opens connections that each send an ApiVersions request, until one gets no answer within
     * two seconds: the broker then holds the stalled request's memory, since no one else uses it.
     */
    private static Probe awaitUnansweredProbe() throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            RawConnection connection = new RawConnection(broker.bootstrapServers());
            connection.readTimeout(Duration.ofSeconds(2));
            ApiVersionsRequest request = new ApiVersionsRequest.Builder().build();
            RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, request.version(), "probe", attempt);
            connection.writeFrame(request.serializeWithHeader(header));
            try {
                connection.readFrame();
                connection.close(); // answered: the stalled request's size was not read yet
            } catch (SocketTimeoutException unanswered) {
                return new Probe(connection, header);
            }
        }
        throw new AssertionError("every probe was answered: the stalled request did not hold the memory");
    }

    private record Probe(RawConnection connection, RequestHeader header) {
    }

    @Test
    void producersSharingASmallBoundGetEveryRecordThroughInOrder() throws Exception {
        int producers = 3;
        int recordsEach = 3_000;
        String value = "x".repeat(1_000);
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String key = "producer-" + p;
                sends.add(pool.submit(() -> {
                    try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                            Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.BATCH_SIZE_CONFIG, 65_536))) {
                        for (int i = 0; i < recordsEach; i++) {
                            producer.send(new ProducerRecord<>("shared", key, i + ":" + value));
                        }
                        producer.flush();
                    }
                    return null;
                }));
            }
            try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
                consumer.assign(List.of(new TopicPartition("shared", 0), new TopicPartition("shared", 1),
                        new TopicPartition("shared", 2)));
                List<ConsumerRecord<String, String>> records =
                        Clients.pollUntil(consumer, producers * recordsEach, Duration.ofSeconds(90));
                for (Future<?> send : sends) {
                    send.get(30, TimeUnit.SECONDS);
                }

                assertThat(records).hasSize(producers * recordsEach);
                Map<String, List<Integer>> sequenceByProducer = new HashMap<>();
                for (ConsumerRecord<String, String> record : records) {
                    sequenceByProducer.computeIfAbsent(record.key(), k -> new ArrayList<>())
                            .add(Integer.parseInt(record.value().substring(0, record.value().indexOf(':'))));
                }
                assertThat(sequenceByProducer).hasSize(producers);
                sequenceByProducer.values().forEach(sequence ->
                        assertThat(sequence).isSortedAccordingTo(Integer::compare).hasSize(recordsEach)
                                .doesNotHaveDuplicates());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
