package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import io.gregor.testkit.GregorProcess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent producers: retries after lost responses and after a broker crash write nothing twice. */
class IdempotentProducerTest {
    @TempDir
    Path tempDir;

    @Test
    void lostProduceResponsesAreRetriedWithoutDuplicates() throws Exception {
        try (ResponseDroppingProxy proxy = new ResponseDroppingProxy(Set.of(3, 7, 12));
             GregorBroker broker = GregorBroker.start(tempDir.resolve("data"),
                     Map.of("advertised.listeners", "PLAINTEXT://" + proxy.address()))) {
            proxy.forwardTo(broker.bootstrapServers());
            createTopic(broker.bootstrapServers(), "exactly-once", 1);
            List<String> sent = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            try (KafkaProducer<String, String> producer = Clients.producer(proxy.address(), Map.of(
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 10,
                    ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10))) {
                // One at a time: each request one batch, so the 3rd and 7th responses are lost exactly.
                for (int i = 0; i < 10; i++) {
                    String value = "sync-" + i;
                    offsets.add(producer.send(new ProducerRecord<>("exactly-once", value)).get().offset());
                    sent.add(value);
                }
                // Then pipelined: up to five requests in flight when the 12th response is lost.
                List<Future<RecordMetadata>> pending = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    String value = "async-" + i;
                    pending.add(producer.send(new ProducerRecord<>("exactly-once", value)));
                    sent.add(value);
                }
                for (Future<RecordMetadata> send : pending) {
                    offsets.add(send.get().offset());
                }
            }

            assertThat(proxy.droppedResponses()).isEqualTo(3);
            assertThat(offsets).as("each record acknowledged at its own offset, in order")
                    .isEqualTo(java.util.stream.LongStream.range(0, sent.size()).boxed().toList());
            assertThat(readAll(broker.bootstrapServers(), "exactly-once", sent.size() + 1))
                    .containsExactlyElementsOf(sent);
        }
    }

    @Test
    void lostProduceResponsesInsideTransactionsWriteNothingTwice() throws Exception {
        try (ResponseDroppingProxy proxy = new ResponseDroppingProxy(Set.of(2, 9, 17));
             GregorBroker broker = GregorBroker.start(tempDir.resolve("txn"),
                     Map.of("advertised.listeners", "PLAINTEXT://" + proxy.address()))) {
            proxy.forwardTo(broker.bootstrapServers());
            createTopic(broker.bootstrapServers(), "exactly-once-txn", 1);
            List<String> sent = new ArrayList<>();
            try (KafkaProducer<String, String> producer = Clients.producer(proxy.address(), Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lossy-writer",
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 10,
                    ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10))) {
                producer.initTransactions();
                // Transactions V2: the first batch of each transaction adds the partition through
                // Produce, so lost responses hit both the added and the already open case.
                for (int t = 0; t < 10; t++) {
                    producer.beginTransaction();
                    for (int i = 0; i < 3; i++) {
                        String value = "txn-" + t + "-" + i;
                        producer.send(new ProducerRecord<>("exactly-once-txn", value)).get();
                        sent.add(value);
                    }
                    producer.commitTransaction();
                }
            }

            assertThat(proxy.droppedResponses()).isEqualTo(3);
            assertThat(readAll(broker.bootstrapServers(), "exactly-once-txn", sent.size() + 1))
                    .containsExactlyElementsOf(sent);
        }
    }

    @Test
    void retriedBatchIsRecognisedAfterSigkillAndRestart() throws Exception {
        try (GregorProcess broker = new GregorProcess(tempDir.resolve("crash"), Map.of()).start()) {
            createTopic(broker.bootstrapServers(), "crash-idem", 1);
            long producerId;
            short epoch;
            try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
                InitProducerIdResponse init = (InitProducerIdResponse) connection.send(new InitProducerIdRequest.Builder(
                        new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000))
                        .build((short) 4));
                assertThat(init.error()).isEqualTo(Errors.NONE);
                producerId = init.data().producerId();
                epoch = init.data().producerEpoch();
                assertThat(produce(connection, batch(producerId, epoch, 0, "a", "b", "c"))).containsExactly(
                        Errors.NONE.code(), 0L);
                assertThat(produce(connection, batch(producerId, epoch, 3, "d", "e"))).containsExactly(
                        Errors.NONE.code(), 3L);
            }

            broker.kill();
            broker.start();

            try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
                assertThat(produce(connection, batch(producerId, epoch, 3, "d", "e")))
                        .as("the retry after the crash gets the original offset").containsExactly(Errors.NONE.code(), 3L);
                assertThat(produce(connection, batch(producerId, epoch, 0, "a", "b", "c")))
                        .containsExactly(Errors.NONE.code(), 0L);
                assertThat(produce(connection, batch(producerId, epoch, 7, "g")).get(0))
                        .isEqualTo((Object) Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
                assertThat(produce(connection, batch(producerId, epoch, 5, "f"))).containsExactly(
                        Errors.NONE.code(), 5L);
            }
            assertThat(readAll(broker.bootstrapServers(), "crash-idem", 7)).containsExactly("a", "b", "c", "d", "e", "f");
        }
    }

    private static MemoryRecords batch(long producerId, short epoch, int baseSequence, String... values) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, epoch, baseSequence);
        for (String value : values) {
            builder.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** Sends one batch to partition 0 with acks=all; returns [error code, base offset]. */
    private static List<Object> produce(RawConnection connection, MemoryRecords records) throws Exception {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("crash-idem");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        data.topicData().add(topic);
        ProduceResponse response = (ProduceResponse) connection.send(
                new ProduceRequest.Builder((short) 9, (short) 9, data).build((short) 9));
        var partition = response.data().responses().iterator().next().partitionResponses().get(0);
        return List.of(partition.errorCode(), partition.baseOffset());
    }

    private static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic(topic, partitions, (short) 1)));
        }
    }

    /** Every value in partition 0 from the start; reads until {@code atMost} or a quiet poll after the end. */
    private static List<String> readAll(String bootstrap, String topic, int atMost) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.currentTimeMillis() + 30_000;
            while (consumer.position(partition) < end && values.size() < atMost
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
