package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions end to end with kafka-clients' transactional producer: commits and aborts across
 * partitions as read_committed and read_uncommitted consumers see them, zombie fencing, the
 * coordinator aborting a transaction past its timeout, a broker restart in the middle of a
 * transaction, offsets committed in a transaction, and requests a client should not send.
 *
 * <p>The broker finalizes {@code transaction.version} 2 by default, so the producer runs
 * transactions V2 (KIP-890: partitions added through Produce, the epoch bumped at every end);
 * {@link TransactionsV1Test} runs the same tests with the original protocol.
 */
class TransactionsTest {
    private static final String TOPIC = "txn-orders";
    private static final int PARTITIONS = 3;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static int transactionVersion;

    @BeforeAll
    static void startBroker() throws Exception {
        startBroker(2);
    }

    static void startBroker(int version) throws Exception {
        transactionVersion = version;
        // Timed-out transactions are looked for every half second rather than every ten.
        broker = GregorBroker.start(dataDir.resolve("v" + version), Map.of(
                "transaction.version", Integer.toString(version),
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "500",
                "transaction.max.timeout.ms", "60000"));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1),
                    new NewTopic("txn-input", 1, (short) 1), new NewTopic("txn-output", 1, (short) 1),
                    new NewTopic("txn-fenced", 1, (short) 1), new NewTopic("txn-listed", 1, (short) 1),
                    new NewTopic(TOPIC + "-unwritten", 1, (short) 1),
                    new NewTopic("txn-restart", PARTITIONS, (short) 1),
                    new NewTopic("txn-timeout", 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static KafkaProducer<String, String> transactional(String transactionalId, int timeoutMs) {
        return Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs));
    }

    private static KafkaConsumer<String, String> reader(String isolation) {
        return Clients.consumer(broker.bootstrapServers(), Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation));
    }

    /** Every record of {@code topic} a consumer with {@code isolation} reads, up to {@code expected}. */
    private static List<String> readAll(String topic, int partitions, String isolation, int expected) {
        try (KafkaConsumer<String, String> consumer = reader(isolation)) {
            consumer.assign(IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList());
            return Clients.pollUntil(consumer, expected, READ_TIMEOUT).stream().map(ConsumerRecord::value).toList();
        }
    }

    private static void sendToEveryPartition(KafkaProducer<String, String> producer, String topic, String prefix,
                                             int perPartition) {
        for (int i = 0; i < perPartition; i++) {
            for (int p = 0; p < PARTITIONS; p++) {
                producer.send(new ProducerRecord<>(topic, p, "k" + i, prefix + "-" + p + "-" + i));
            }
        }
    }

    @Test
    void committedTransactionsAreReadAndAbortedOnesSkippedByReadCommittedConsumers() throws Exception {
        try (KafkaProducer<String, String> producer = transactional("orders-writer", 30_000)) {
            producer.initTransactions();
            producer.beginTransaction();
            sendToEveryPartition(producer, TOPIC, "first", 10);
            producer.commitTransaction();

            producer.beginTransaction();
            sendToEveryPartition(producer, TOPIC, "aborted", 10);
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            sendToEveryPartition(producer, TOPIC, "second", 10);
            producer.commitTransaction();
        }
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            // Transactions V2 bump the epoch at each of the three ends; V1 keeps the epoch of InitProducerId.
            assertThat(admin.describeTransactions(List.of("orders-writer")).description("orders-writer").get()
                    .producerEpoch()).isEqualTo(transactionVersion >= 2 ? 3 : 0);
        }

        List<String> committed = readAll(TOPIC, PARTITIONS, "read_committed", 60);
        List<String> uncommitted = readAll(TOPIC, PARTITIONS, "read_uncommitted", 90);

        assertThat(committed).hasSize(60).noneMatch(value -> value.startsWith("aborted"));
        assertThat(committed.stream().filter(value -> value.startsWith("first"))).hasSize(30);
        assertThat(committed.stream().filter(value -> value.startsWith("second"))).hasSize(30);
        assertThat(uncommitted).hasSize(90);
        assertThat(uncommitted.stream().filter(value -> value.startsWith("aborted"))).hasSize(30);
        // Each partition's records stay in the order they were sent.
        for (int p = 0; p < PARTITIONS; p++) {
            String prefix = "first-" + p + "-";
            assertThat(committed.stream().filter(value -> value.startsWith(prefix)).toList())
                    .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void aNewProducerWithTheSameTransactionalIdFencesTheOldOneAndAbortsItsTransaction() throws Exception {
        try (KafkaProducer<String, String> zombie = transactional("fenced-writer", 30_000);
             KafkaProducer<String, String> successor = transactional("fenced-writer", 30_000)) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>("txn-fenced", "zombie", "from-zombie")).get();

            successor.initTransactions();
            successor.beginTransaction();
            successor.send(new ProducerRecord<>("txn-fenced", "successor", "from-successor"));
            successor.commitTransaction();

            assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
        }

        List<String> committed = readAll("txn-fenced", 1, "read_committed", 1);
        assertThat(committed).contains("from-successor").doesNotContain("from-zombie");
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            TransactionDescription description = admin.describeTransactions(List.of("fenced-writer"))
                    .description("fenced-writer").get();
            assertThat(description.state().toString()).isEqualTo("CompleteCommit");
            assertThat(description.producerEpoch()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aTransactionOpenPastItsTimeoutIsAbortedAndReadersMoveOn() throws Exception {
        TopicPartition partition = new TopicPartition("txn-timeout", 0);
        try (KafkaProducer<String, String> stuck = transactional("stuck-writer", 2_000);
             KafkaProducer<String, String> later = transactional("later-writer", 30_000);
             KafkaConsumer<String, String> consumer = reader("read_committed")) {
            stuck.initTransactions();
            stuck.beginTransaction();
            for (int i = 0; i < 5; i++) {
                stuck.send(new ProducerRecord<>("txn-timeout", "k", "stuck-" + i));
            }
            stuck.flush();
            later.initTransactions();
            later.beginTransaction();
            later.send(new ProducerRecord<>("txn-timeout", "k", "after-the-stuck-one"));
            later.commitTransaction();

            // The open transaction holds the last stable offset below the later commit until the
            // coordinator aborts it.
            consumer.assign(List.of(partition));
            List<String> seen = Clients.pollUntil(consumer, 1, READ_TIMEOUT).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(seen).containsExactly("after-the-stuck-one");

            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                assertThat(admin.describeTransactions(List.of("stuck-writer")).description("stuck-writer").get()
                        .state().toString()).isEqualTo("CompleteAbort");
            }
            if (transactionVersion >= 2) {
                // KIP-890: the producer is told its transaction was aborted, aborts too, and goes on.
                assertThatThrownBy(stuck::commitTransaction).isInstanceOf(TransactionAbortableException.class);
                stuck.abortTransaction();
                stuck.beginTransaction();
                stuck.send(new ProducerRecord<>("txn-timeout", "k", "after-recovery"));
                stuck.commitTransaction();
            } else {
                assertThatThrownBy(stuck::commitTransaction)
                        .isInstanceOfAny(ProducerFencedException.class, InvalidProducerEpochException.class);
            }
        }
        List<String> expected = transactionVersion >= 2 ? List.of("after-the-stuck-one", "after-recovery")
                : List.of("after-the-stuck-one");
        assertThat(readAll("txn-timeout", 1, "read_committed", expected.size())).containsExactlyElementsOf(expected);
        assertThat(readAll("txn-timeout", 1, "read_uncommitted", 5 + expected.size())).hasSize(5 + expected.size());
    }

    @Test
    void theOutcomeOfATransactionOpenAcrossABrokerRestartIsWhatTheProducerDecided() {
        try (KafkaProducer<String, String> committer = transactional("restart-committer", 60_000);
             KafkaProducer<String, String> aborter = transactional("restart-aborter", 60_000)) {
            committer.initTransactions();
            aborter.initTransactions();
            committer.beginTransaction();
            sendToEveryPartition(committer, "txn-restart", "kept", 5);
            committer.flush();
            aborter.beginTransaction();
            sendToEveryPartition(aborter, "txn-restart", "dropped", 5);
            aborter.flush();

            broker.restart();

            committer.commitTransaction();
            aborter.abortTransaction();
        }

        List<String> committed = readAll("txn-restart", PARTITIONS, "read_committed", 15);
        assertThat(committed).hasSize(15).allMatch(value -> value.startsWith("kept"));
        assertThat(readAll("txn-restart", PARTITIONS, "read_uncommitted", 30)).hasSize(30);
    }

    @Test
    void offsetsSentToATransactionAreCommittedWithItAndDroppedWithAnAbort() throws Exception {
        String group = "txn-copier";
        TopicPartition input = new TopicPartition("txn-input", 0);
        try (KafkaProducer<String, String> source = Clients.producer(broker.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 20; i++) {
                source.send(new ProducerRecord<>("txn-input", "k" + i, "in-" + i));
            }
        }
        try (KafkaProducer<String, String> copier = transactional("copier", 30_000);
             Admin admin = Clients.admin(broker.bootstrapServers())) {
            copier.initTransactions();
            copier.beginTransaction();
            copier.send(new ProducerRecord<>("txn-output", "copy", "copy-of-first-ten"));
            copier.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(10)),
                    new ConsumerGroupMetadata(group));
            copier.commitTransaction();

            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(input)
                    .offset()).isEqualTo(10);

            copier.beginTransaction();
            copier.send(new ProducerRecord<>("txn-output", "copy", "copy-of-the-rest"));
            copier.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(20)),
                    new ConsumerGroupMetadata(group));
            copier.abortTransaction();

            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(input)
                    .offset()).isEqualTo(10);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
            consumer.assign(List.of(input));
            assertThat(consumer.position(input)).isEqualTo(10);
        }
        assertThat(readAll("txn-output", 1, "read_committed", 1)).containsExactly("copy-of-first-ten")
                .doesNotContain("copy-of-the-rest");
    }

    @Test
    void listTransactionsShowsTheTransactionalIdsOfThisBroker() throws Exception {
        try (KafkaProducer<String, String> producer = transactional("listed-writer", 30_000);
             Admin admin = Clients.admin(broker.bootstrapServers())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-listed", 0, "k", "listed")).get();

            List<String> ongoing = new ArrayList<>();
            for (TransactionListing listing : admin.listTransactions().all().get()) {
                if (listing.state().toString().equals("Ongoing")) {
                    ongoing.add(listing.transactionalId());
                }
            }
            assertThat(ongoing).contains("listed-writer");
            TransactionDescription description = admin.describeTransactions(List.of("listed-writer"))
                    .description("listed-writer").get();
            assertThat(description.topicPartitions()).containsExactly(new TopicPartition("txn-listed", 0));
            assertThat(description.transactionTimeoutMs()).isEqualTo(30_000);
            producer.abortTransaction();
        }
    }

    /** One transactional record sent raw to partition 0 of {@code TOPIC-unwritten}; the partition's error. */
    private static Errors produce(RawConnection connection, String transactionalId, long producerId, short epoch,
                                  short version) throws Exception {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, 0,
                new SimpleRecord("raw".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTransactionalId(transactionalId);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                .setName(TOPIC + "-unwritten");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        data.topicData().add(topic);
        ProduceResponse response = (ProduceResponse) connection.send(
                new ProduceRequest.Builder(version, version, data).build(version));
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
    }

    @Test
    void requestsForUnknownTransactionalIdsOrStaleEpochsGetKafkasErrors() throws Exception {
        try (KafkaProducer<String, String> producer = transactional("raw-target", 30_000)) {
            // A real producer makes sure the coordinator exists and has loaded.
            producer.initTransactions();
        }
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            EndTxnResponse unknown = (EndTxnResponse) connection.send(new EndTxnRequest.Builder(new EndTxnRequestData()
                    .setTransactionalId("never-initialised").setProducerId(4242).setProducerEpoch((short) 0)
                    .setCommitted(true), false).build((short) 3));
            assertThat(unknown.error()).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);

            AddOffsetsToTxnResponse offsetsFirst = (AddOffsetsToTxnResponse) connection.send(
                    new AddOffsetsToTxnRequest.Builder(new AddOffsetsToTxnRequestData()
                            .setTransactionalId("never-initialised").setProducerId(4242)
                            .setProducerEpoch((short) 0).setGroupId("some-group")).build((short) 3));
            assertThat(Errors.forCode(offsetsFirst.data().errorCode())).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);

            InitProducerIdResponse tooLong = (InitProducerIdResponse) connection.send(new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId("raw-target")
                            .setTransactionTimeoutMs(3_600_000)).build((short) 4));
            assertThat(tooLong.error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);

            InitProducerIdResponse init = (InitProducerIdResponse) connection.send(new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId("raw-target")
                            .setTransactionTimeoutMs(30_000)).build((short) 4));
            assertThat(init.error()).isEqualTo(Errors.NONE);
            long producerId = init.data().producerId();
            short staleEpoch = (short) (init.data().producerEpoch() - 1);

            AddPartitionsToTxnResponse stale = (AddPartitionsToTxnResponse) connection.send(
                    AddPartitionsToTxnRequest.Builder.forClient("raw-target", producerId, staleEpoch,
                            List.of(new TopicPartition(TOPIC, 0))).build((short) 3));
            assertThat(stale.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID)
                    .get(new TopicPartition(TOPIC, 0))).isEqualTo(Errors.PRODUCER_FENCED);

            AddPartitionsToTxnResponse noSuchTopic = (AddPartitionsToTxnResponse) connection.send(
                    AddPartitionsToTxnRequest.Builder.forClient("raw-target", producerId, init.data().producerEpoch(),
                            List.of(new TopicPartition("no-such-topic", 0))).build((short) 3));
            assertThat(noSuchTopic.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID)
                    .get(new TopicPartition("no-such-topic", 0))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);

            EndTxnResponse staleEnd = (EndTxnResponse) connection.send(new EndTxnRequest.Builder(new EndTxnRequestData()
                    .setTransactionalId("raw-target").setProducerId(producerId).setProducerEpoch(staleEpoch)
                    .setCommitted(true), false).build((short) 3));
            assertThat(staleEnd.error()).isEqualTo(Errors.PRODUCER_FENCED);

            EndTxnResponse otherProducer = (EndTxnResponse) connection.send(new EndTxnRequest.Builder(
                    new EndTxnRequestData().setTransactionalId("raw-target").setProducerId(producerId + 1)
                            .setProducerEpoch(init.data().producerEpoch()).setCommitted(false), false)
                    .build((short) 3));
            assertThat(otherProducer.error()).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);

            EndTxnResponse nothingOpen = (EndTxnResponse) connection.send(new EndTxnRequest.Builder(
                    new EndTxnRequestData().setTransactionalId("raw-target").setProducerId(producerId)
                            .setProducerEpoch(init.data().producerEpoch()).setCommitted(true), false)
                    .build((short) 3));
            assertThat(nothingOpen.error()).isEqualTo(Errors.INVALID_TXN_STATE);

            // A transactional batch for a partition the producer never added (Produce v11: the
            // original protocol) is refused, and so is one of an older epoch (v12: transactions V2).
            assertThat(produce(connection, "raw-target", producerId, init.data().producerEpoch(), (short) 11))
                    .isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(produce(connection, "raw-target", producerId, staleEpoch, (short) 12))
                    .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
            try (KafkaConsumer<String, String> consumer = reader("read_uncommitted")) {
                TopicPartition unwritten = new TopicPartition(TOPIC + "-unwritten", 0);
                assertThat(consumer.endOffsets(List.of(unwritten)).get(unwritten)).as("nothing appended").isZero();
            }
        }
        // The broker is still serving.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(readAll(TOPIC, PARTITIONS, "read_uncommitted", 1)).isNotEmpty());
    }
}
