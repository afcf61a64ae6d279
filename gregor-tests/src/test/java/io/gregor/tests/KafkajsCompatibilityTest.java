package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafkajs 2.2.4 (Node.js) against Gregor. src/test/node/kafkajs-compat.js creates, describes,
 * grows and deletes topics, produces keyed records (uncompressed, GZIP, idempotent), lists
 * offsets and fetches the records back; this test holds what it printed against the Java
 * client's view of the same topic. kafkajs sends its own highest version of each API without
 * looking at the broker's minimum (Produce v7, Fetch v11, Metadata v6, ListOffsets v3: old,
 * non-flexible encodings), so those are the versions under test.
 *
 * <p>src/test/node/kafkajs-transactions.js runs kafkajs's transactional producer, which speaks the
 * original transaction protocol (transactions V1) as librdkafka and older Java clients do.
 *
 * <p>The kafkajs consumer needs a consumer group, so the script fetches through kafkajs's own
 * broker connection instead. Needs node on the PATH and {@code npm ci} run in src/test/node;
 * .ci/run does both.
 */
class KafkajsCompatibilityTest {
    private static final Path NODE_PROJECT = Path.of("src", "test", "node");
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;
    private static final List<String> CODECS = List.of("none", "gzip", "idempotent");
    private static final int RECORDS_PER_CODEC = 10;
    private static final int PARTITIONS = 2;
    private static final Pattern KEY = Pattern.compile(" key=(\\w+)-key-(\\d+) ");

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        ChildProcess.require("install Node.js (20 or newer) and npm; .ci/run does", "node", "--version");
        assertThat(NODE_PROJECT.resolve("node_modules/kafkajs/package.json"))
                .as("kafkajs is not installed: run `npm ci` in gregor-tests/src/test/node (.ci/run does)")
                .exists();
        broker = GregorBroker.start(dataDir, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) { // null when a missing client failed the class before the start
            broker.close();
        }
    }

    @Test
    void kafkajsAdministersProducesAndFetchesAtItsOwnProtocolVersions() throws Exception {
        String topic = "kafkajs-events";

        ChildProcess.Result result = ChildProcess.run(NODE_PROJECT, "", Duration.ofSeconds(120), List.of(
                "node", "kafkajs-compat.js", broker.bootstrapServers(), topic, String.valueOf(BASE_TIMESTAMP)));

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.lines()).as("%s", result).contains(
                "created true",
                "created-again false",
                "metadata topic=" + topic + " partitions=" + PARTITIONS,
                "config retention.ms=86400000",
                "grown partitions=3",
                "listed topic=true throwaway=false",
                "request Produce v7",
                "request Fetch v11",
                "request Metadata v6",
                "request ListOffsets v3",
                "request CreateTopics v3",
                "request DeleteTopics v1",
                "request CreatePartitions v1",
                "request DescribeConfigs v2",
                "request InitProducerId v1");

        List<String> javaView = RecordLines.readByJavaClient(
                broker.bootstrapServers(), topic, PARTITIONS, CODECS.size() * RECORDS_PER_CODEC);
        assertThat(RecordLines.printedBy(result)).as("what kafkajs fetched, against the Java client")
                .containsExactlyElementsOf(javaView);
        assertThat(javaView).extracting(KafkajsCompatibilityTest::key).containsExactlyInAnyOrderElementsOf(
                CODECS.stream().flatMap(codec -> IntStream.range(0, RECORDS_PER_CODEC).mapToObj(i -> codec + "-key-" + i)).toList());
        for (int partition = 0; partition < PARTITIONS; partition++) {
            String prefix = RecordLines.PREFIX + "partition=" + partition + " ";
            assertThat(javaView.stream().filter(l -> l.startsWith(prefix)).toList())
                    .as("partition %d keeps the order each producer sent in", partition)
                    .isSortedAccordingTo(Comparator.comparingInt(KafkajsCompatibilityTest::sendOrder));
        }

        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Map<TopicPartition, ListOffsetsResultInfo> latest = listOffsets(admin, topic, OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResultInfo> firstGzip =
                    listOffsets(admin, topic, OffsetSpec.forTimestamp(BASE_TIMESTAMP + RECORDS_PER_CODEC));
            for (int partition = 0; partition < PARTITIONS; partition++) {
                TopicPartition tp = new TopicPartition(topic, partition);
                long end = latest.get(tp).offset();
                assertThat(result.lines()).as("%s", result).contains(
                        "offsets partition=%d offset=%d high=%d low=0".formatted(partition, end, end),
                        "offsets-by-timestamp partition=%d offset=%d".formatted(partition, firstGzip.get(tp).offset()),
                        "offsets-after-last-timestamp partition=%d offset=%d".formatted(partition, end));
                List<RecordBatch> stored = StoredBatches.batches(dataDir, topic, partition);
                assertThat(stored).extracting(RecordBatch::compressionType)
                        .as("codecs of partition %d as stored", partition)
                        .contains(CompressionType.NONE, CompressionType.GZIP);
                assertThat(stored).extracting(RecordBatch::producerId)
                        .as("producer ids of partition %d: the idempotent producer's batch has one", partition)
                        .anyMatch(id -> id >= 0);
            }
        }
    }

    /**
     * kafkajs's transactional producer (the original protocol, at kafkajs's versions): what it
     * committed is read by a read_committed consumer, what it aborted is not, and the offsets it
     * sent to its transactions count only when the transaction committed.
     */
    @Test
    void kafkajsTransactionsCommitAndAbortWithTheirOffsets() throws Exception {
        String topic = "kafkajs-transactions";
        String group = "kafkajs-transactions-group";

        ChildProcess.Result result = ChildProcess.run(NODE_PROJECT, "", Duration.ofSeconds(120), List.of(
                "node", "kafkajs-transactions.js", broker.bootstrapServers(), topic, group));

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.lines()).as("%s", result).contains("committed first", "aborted second",
                "committed third", "request InitProducerId v1", "request AddPartitionsToTxn v1",
                "request AddOffsetsToTxn v1", "request TxnOffsetCommit v1", "request EndTxn v1");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
            List<String> values = Clients.pollUntil(consumer, 6, Duration.ofSeconds(30)).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(values).containsExactlyInAnyOrder("first-0", "first-1", "first-2", "first-3",
                    "third-0", "third-1");
        }
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(topic, 0)).offset()).isEqualTo(7);
        }
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> listOffsets(Admin admin, String topic, OffsetSpec spec)
            throws Exception {
        return admin.listOffsets(Map.of(new TopicPartition(topic, 0), spec, new TopicPartition(topic, 1), spec))
                .all().get();
    }

    private static String key(String line) {
        Matcher matcher = KEY.matcher(line);
        assertThat(matcher.find()).as(line).isTrue();
        return matcher.group(1) + "-key-" + matcher.group(2);
    }

    /** Records were sent codec by codec, each codec's keys in index order. */
    private static int sendOrder(String line) {
        Matcher matcher = KEY.matcher(line);
        assertThat(matcher.find()).as(line).isTrue();
        return CODECS.indexOf(matcher.group(1)) * RECORDS_PER_CODEC + Integer.parseInt(matcher.group(2));
    }
}
