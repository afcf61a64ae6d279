package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-partition side of transactions through the wire: transactional batches and
 * WriteTxnMarkers sent raw (as a producer and a transaction coordinator would), read back by real
 * KafkaConsumers with isolation.level read_committed and read_uncommitted; and transactional
 * offset commits, ended by the transaction coordinator (EndTxn), pending until its marker.
 */
class ReadCommittedTest {
    private static final int COORDINATOR_EPOCH = 0;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        // One offsets partition: every group's coordinator partition is __consumer_offsets-0.
        broker = GregorBroker.start(dataDir.resolve("data"), Map.of("offsets.topic.num.partitions", "1"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** A producer id and epoch from the broker, and the next sequence of its records in partition 0. */
    static final class RawProducer {
        final String transactionalId;
        final long id;
        short epoch;
        int sequence;

        RawProducer(RawConnection connection) throws Exception {
            this(connection, null, (InitProducerIdResponse) connection.send(new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000))
                    .build((short) 4)));
        }

        private RawProducer(RawConnection connection, String transactionalId, InitProducerIdResponse init) {
            assertThat(init.error()).isEqualTo(Errors.NONE);
            this.transactionalId = transactionalId;
            id = init.data().producerId();
            epoch = init.data().producerEpoch();
        }

        /** A producer of the transaction coordinator: once it has loaded, InitProducerId succeeds. */
        static RawProducer transactional(RawConnection connection, String transactionalId) throws Exception {
            InitProducerIdRequest request = new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                    .setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000)).build((short) 4);
            connection.send(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                    .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                    .setCoordinatorKeys(List.of(transactionalId))).build((short) 4));
            InitProducerIdResponse[] init = new InitProducerIdResponse[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                init[0] = (InitProducerIdResponse) connection.send(request);
                return init[0].error() == Errors.NONE;
            });
            return new RawProducer(connection, transactionalId, init[0]);
        }

        MemoryRecords transactionalBatch(String... values) {
            MemoryRecords batch = batch(id, epoch, sequence, true, values);
            sequence += values.length;
            return batch;
        }

        /** KIP-890: the coordinator ends each transaction with the epoch bumped; the next one starts at sequence 0. */
        void bumpEpoch() {
            epoch++;
            sequence = 0;
        }
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnlyAndReadUncommittedSeesEverything() throws Exception {
        String topic = "txn-visibility";
        createTopic(topic);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            RawProducer committer = new RawProducer(connection);
            RawProducer aborter = new RawProducer(connection);
            assertThat(produce(connection, topic, committer.transactionalBatch("c1", "c2"))).isEqualTo(Errors.NONE);
            assertThat(produce(connection, topic, aborter.transactionalBatch("a1"))).isEqualTo(Errors.NONE);
            assertThat(produce(connection, topic, batch(-1, (short) -1, -1, false, "plain"))).isEqualTo(Errors.NONE);
            assertThat(produce(connection, topic, aborter.transactionalBatch("a2"))).isEqualTo(Errors.NONE);
            // Nothing of an open transaction is visible to read_committed, nor anything after it.
            assertThat(readValues(topic, "read_committed")).isEmpty();
            assertThat(endOffset(tp, "read_committed")).isZero();
            assertThat(endOffset(tp, "read_uncommitted")).isEqualTo(5);

            committer.bumpEpoch();
            assertThat(writeMarker(connection, committer, TransactionResult.COMMIT, tp)).isEqualTo(Errors.NONE);
            assertThat(endOffset(tp, "read_committed")).as("held at the aborter's open transaction").isEqualTo(2);
            aborter.bumpEpoch();
            assertThat(writeMarker(connection, aborter, TransactionResult.ABORT, tp)).isEqualTo(Errors.NONE);

            assertThat(produce(connection, topic, committer.transactionalBatch("open"))).isEqualTo(Errors.NONE);
            assertThat(endOffset(tp, "read_committed")).isEqualTo(7);
            assertThat(readValues(topic, "read_committed")).containsExactly("c1", "c2", "plain");
            assertThat(readValues(topic, "read_uncommitted"))
                    .containsExactly("c1", "c2", "a1", "plain", "a2", "open");

            committer.bumpEpoch();
            assertThat(writeMarker(connection, committer, TransactionResult.COMMIT, tp)).isEqualTo(Errors.NONE);
            assertThat(readValues(topic, "read_committed")).containsExactly("c1", "c2", "plain", "open");
        }

        broker.restart();

        assertThat(readValues(topic, "read_committed")).as("the aborted index survives a restart")
                .containsExactly("c1", "c2", "plain", "open");
    }

    @Test
    void readCommittedConsumerWaitingAtAnOpenTransactionGetsItOnceCommitted() throws Exception {
        String topic = "txn-long-poll";
        createTopic(topic);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (RawConnection connection = new RawConnection(broker.bootstrapServers());
             KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                     Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            RawProducer producer = new RawProducer(connection);
            assertThat(produce(connection, topic, producer.transactionalBatch("first", "second"))).isEqualTo(Errors.NONE);
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();

            producer.bumpEpoch();
            assertThat(writeMarker(connection, producer, TransactionResult.COMMIT, tp)).isEqualTo(Errors.NONE);

            List<String> values = Clients.pollUntil(consumer, 2, Duration.ofSeconds(15)).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(values).containsExactly("first", "second");
        }
    }

    @Test
    void markersWithStaleEpochsOrForUnknownPartitionsAreRefusedWithKafkaErrors() throws Exception {
        String topic = "txn-bad-markers";
        createTopic(topic);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            RawProducer producer = new RawProducer(connection);
            producer.bumpEpoch();
            assertThat(produce(connection, topic, producer.transactionalBatch("x"))).isEqualTo(Errors.NONE);
            short current = producer.epoch;

            producer.epoch = (short) (current - 1);
            assertThat(writeMarker(connection, producer, TransactionResult.ABORT, tp))
                    .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
            producer.epoch = (short) (current + 1);
            assertThat(writeMarker(connection, producer, TransactionResult.ABORT, tp, 5)).isEqualTo(Errors.NONE);
            assertThat(writeMarker(connection, producer, TransactionResult.ABORT, tp, 4))
                    .isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
            assertThat(writeMarker(connection, producer, TransactionResult.ABORT, new TopicPartition("no-such-topic", 0)))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            // A stale producer's data is refused too.
            producer.epoch = current;
            assertThat(produce(connection, topic, producer.transactionalBatch("late")))
                    .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        }
        assertThat(readValues(topic, "read_committed")).isEmpty();
        assertThat(endOffset(tp, "read_committed")).isEqualTo(2);
    }

    @Test
    void describeProducersShowsTheOpenTransactionAndTheLastMarker() throws Exception {
        String topic = "txn-describe";
        createTopic(topic);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (RawConnection connection = new RawConnection(broker.bootstrapServers());
             Admin admin = Clients.admin(broker.bootstrapServers())) {
            RawProducer ended = new RawProducer(connection);
            RawProducer open = new RawProducer(connection);
            produce(connection, topic, ended.transactionalBatch("e1", "e2"));
            ended.bumpEpoch();
            assertThat(writeMarker(connection, ended, TransactionResult.COMMIT, tp, 3)).isEqualTo(Errors.NONE);
            produce(connection, topic, open.transactionalBatch("o1"));

            List<ProducerState> states = admin.describeProducers(List.of(tp)).partitionResult(tp).get()
                    .activeProducers();

            assertThat(states).hasSize(2);
            ProducerState endedState = states.stream().filter(s -> s.producerId() == ended.id).findFirst().orElseThrow();
            assertThat(endedState.producerEpoch()).isEqualTo(ended.epoch);
            assertThat(endedState.currentTransactionStartOffset()).isEmpty();
            assertThat(endedState.coordinatorEpoch()).hasValue(3);
            ProducerState openState = states.stream().filter(s -> s.producerId() == open.id).findFirst().orElseThrow();
            assertThat(openState.currentTransactionStartOffset()).hasValue(3L);
            assertThat(openState.lastSequence()).isZero();
        }
    }

    @Test
    void transactionalOffsetCommitStaysPendingUntilItsMarkerAndSurvivesARestart() throws Exception {
        String group = "txn-offsets-group";
        TopicPartition consumed = new TopicPartition("txn-offsets-input", 0);
        createTopic(consumed.topic());
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            // FindCoordinator creates __consumer_offsets, as the producer's lookup of the group would.
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()).isEmpty();
        }
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            RawProducer committer = RawProducer.transactional(connection, "offsets-committer");
            RawProducer aborter = RawProducer.transactional(connection, "offsets-aborter");
            assertThat(addOffsets(connection, committer, group)).isEqualTo(Errors.NONE);
            assertThat(txnOffsetCommit(connection, committer, group, consumed, 42)).isEqualTo(Errors.NONE);
            assertThat(fetchOffset(connection, group, consumed, false)).containsExactly(-1L, Errors.NONE);
            assertThat(fetchOffset(connection, group, consumed, true)).containsExactly(-1L, Errors.UNSTABLE_OFFSET_COMMIT);

            // The transaction coordinator writes the marker that makes the offsets the group's.
            assertThat(endTxn(connection, committer, true)).isEqualTo(Errors.NONE);
            await().atMost(Duration.ofSeconds(10)).until(() -> fetchOffset(connection, group, consumed, true)
                    .equals(List.of(42L, Errors.NONE)));

            assertThat(addOffsets(connection, aborter, group)).isEqualTo(Errors.NONE);
            assertThat(txnOffsetCommit(connection, aborter, group, consumed, 50)).isEqualTo(Errors.NONE);
            assertThat(endTxn(connection, aborter, false)).isEqualTo(Errors.NONE);
            await().atMost(Duration.ofSeconds(10)).until(() -> fetchOffset(connection, group, consumed, true)
                    .equals(List.of(42L, Errors.NONE)));
            // A fenced producer epoch cannot commit offsets in a transaction.
            committer.epoch--;
            assertThat(txnOffsetCommit(connection, committer, group, consumed, 60)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        }

        broker.restart();

        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> fetchOffset(connection, group, consumed, true)
                    .equals(List.of(42L, Errors.NONE)));
        }
    }

    private static Errors addOffsets(RawConnection connection, RawProducer producer, String group) throws Exception {
        AddOffsetsToTxnResponse response = (AddOffsetsToTxnResponse) connection.send(new AddOffsetsToTxnRequest.Builder(
                new AddOffsetsToTxnRequestData().setTransactionalId(producer.transactionalId)
                        .setProducerId(producer.id).setProducerEpoch(producer.epoch).setGroupId(group))
                .build((short) 3));
        return Errors.forCode(response.data().errorCode());
    }

    private static Errors endTxn(RawConnection connection, RawProducer producer, boolean commit) throws Exception {
        EndTxnResponse response = (EndTxnResponse) connection.send(new EndTxnRequest.Builder(new EndTxnRequestData()
                .setTransactionalId(producer.transactionalId).setProducerId(producer.id)
                .setProducerEpoch(producer.epoch).setCommitted(commit), false).build((short) 3));
        return response.error();
    }

    private static Errors txnOffsetCommit(RawConnection connection, RawProducer producer, String group,
                                          TopicPartition tp, long offset) throws Exception {
        TxnOffsetCommitResponse response = (TxnOffsetCommitResponse) connection.send(new TxnOffsetCommitRequest.Builder(
                producer.transactionalId, group, producer.id, producer.epoch,
                Map.of(tp, new TxnOffsetCommitRequest.CommittedOffset(offset, "", Optional.empty())), false)
                .build((short) 3));
        return response.errors().get(tp);
    }

    /** [committed offset, partition error] as OffsetFetch v8 answers them. */
    private static List<Object> fetchOffset(RawConnection connection, String group, TopicPartition tp,
                                            boolean requireStable) throws Exception {
        OffsetFetchRequestData data = new OffsetFetchRequestData().setRequireStable(requireStable);
        data.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group)
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(tp.topic())
                        .setPartitionIndexes(List.of(tp.partition())))));
        OffsetFetchResponse response = (OffsetFetchResponse) connection.send(
                OffsetFetchRequest.Builder.forTopicNames(data, true).build((short) 8));
        OffsetFetchResponseData.OffsetFetchResponseGroup answer = response.group(group);
        if (answer.errorCode() != Errors.NONE.code()) {
            return List.of(-1L, Errors.forCode(answer.errorCode()));
        }
        OffsetFetchResponseData.OffsetFetchResponsePartitions partition = answer.topics().get(0).partitions().get(0);
        return List.of(partition.committedOffset(), Errors.forCode(partition.errorCode()));
    }

    private static MemoryRecords batch(long producerId, short epoch, int baseSequence, boolean transactional,
                                       String... values) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, epoch, baseSequence,
                transactional, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (String value : values) {
            builder.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static Errors produce(RawConnection connection, String topic, MemoryRecords records) throws Exception {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        data.topicData().add(topicData);
        ProduceResponse response = (ProduceResponse) connection.send(
                new ProduceRequest.Builder((short) 9, (short) 9, data).build((short) 9));
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
    }

    private static Errors writeMarker(RawConnection connection, RawProducer producer, TransactionResult result,
                                      TopicPartition tp) throws Exception {
        return writeMarker(connection, producer, result, tp, COORDINATOR_EPOCH);
    }

    private static Errors writeMarker(RawConnection connection, RawProducer producer, TransactionResult result,
                                      TopicPartition tp, int coordinatorEpoch) throws Exception {
        WriteTxnMarkersRequest.TxnMarkerEntry marker = new WriteTxnMarkersRequest.TxnMarkerEntry(producer.id,
                producer.epoch, coordinatorEpoch, result, List.of(tp));
        WriteTxnMarkersResponse response = (WriteTxnMarkersResponse) connection.send(
                new WriteTxnMarkersRequest.Builder(List.of(marker)).build((short) 1));
        return response.errorsByProducerId().get(producer.id).get(tp);
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic(topic, 1, (short) 1)));
        }
    }

    private static long endOffset(TopicPartition tp, String isolation) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }

    /**
     * Every value partition 0 shows a consumer with this isolation level: reads from the start
     * until the consumer's position reaches the end offset for that isolation level (the last
     * stable offset for read_committed, the high watermark otherwise).
     */
    private static List<String> readValues(String topic, String isolation) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            assertThat(consumer.position(tp)).as("read to the end offset").isEqualTo(end);
            return values;
        }
    }
}
