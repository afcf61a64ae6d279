package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * librdkafka, through kcat, beyond {@link KcatTest}: produce with each compression codec and
 * consume back, consume what the Java client compressed, and look offsets up by timestamp.
 * Which codec librdkafka really used is read from the batches Gregor stored, because librdkafka
 * sends a batch uncompressed when it decides the broker cannot take the codec, or when
 * compressing would not make it smaller (so the values here compress well).
 */
class LibrdkafkaCompatibilityTest {
    private static final int RECORDS = 200;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        ChildProcess.require("install Debian's kcat (apt-get install kcat); .ci/run does", "kcat", "-V");
        broker = GregorBroker.start(dataDir, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) { // null when a missing client failed the class before the start
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "zstd"})
    void kcatProducesBatchesCompressedWithTheCodecAndConsumesThemBack(String codec) throws Exception {
        String topic = "kcat-" + codec;

        List<CompressionType> stored = produceAndConsumeBack(topic, codec);

        assertThat(stored).isNotEmpty().containsOnly(CompressionType.forName(codec));
    }

    /**
     * librdkafka dates LZ4 support by FindCoordinator v0, the API that shipped with it in Kafka
     * 0.8.2 (its feature map): while the broker does not advertise FindCoordinator from v0, it
     * sends batches configured for lz4 uncompressed. Gregor advertises FindCoordinator once it
     * serves consumer groups; this test follows what the broker advertises.
     */
    @Test
    void kcatProducesLz4BatchesOnceFindCoordinatorV0IsAdvertisedAndConsumesThemBack() throws Exception {
        CompressionType expected = advertisedMinVersion(ApiKeys.FIND_COORDINATOR).filter(min -> min == 0).isPresent()
                ? CompressionType.LZ4
                : CompressionType.NONE;

        List<CompressionType> stored = produceAndConsumeBack("kcat-lz4", "lz4");

        assertThat(stored).isNotEmpty().containsOnly(expected);
    }

    @Test
    void kcatIdempotentProducerWritesBatchesWithItsProducerIdAndSequences() throws Exception {
        String topic = "kcat-idempotent";
        createTopic(topic, 1);
        List<String> sent = IntStream.range(0, RECORDS).mapToObj(LibrdkafkaCompatibilityTest::keyValue).toList();

        ChildProcess.Result produced = kcat(String.join("\n", sent) + "\n",
                "-P", "-t", topic, "-K", ":", "-X", "enable.idempotence=true");
        assertThat(produced.exitCode()).as("%s", produced).isZero();
        ChildProcess.Result consumed = kcat("", "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%k:%s\\n");

        assertThat(consumed.exitCode()).as("%s", consumed).isZero();
        assertThat(consumed.lines()).as("%s", consumed).containsExactlyElementsOf(sent);
        List<RecordBatch> batches = StoredBatches.batches(dataDir, topic, 0);
        assertThat(batches).isNotEmpty().allSatisfy(batch -> assertThat(batch.producerId()).isNotNegative());
        assertThat(batches.get(0).baseSequence()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void kcatConsumesWhatTheJavaClientCompressed(String codec) throws Exception {
        String topic = "java-" + codec;
        createTopic(topic, 1);
        List<String> sent = IntStream.range(0, RECORDS).mapToObj(LibrdkafkaCompatibilityTest::keyValue).toList();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.ACKS_CONFIG, "all"))) {
            for (String line : sent) {
                String[] keyValue = line.split(":", 2);
                producer.send(new ProducerRecord<>(topic, keyValue[0], keyValue[1]));
            }
            producer.flush();
        }
        assertThat(StoredBatches.compressionTypes(dataDir, topic, 0)).containsOnly(CompressionType.forName(codec));

        ChildProcess.Result consumed = kcat("", "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%k:%s\\n");

        assertThat(consumed.exitCode()).as("%s", consumed).isZero();
        assertThat(consumed.lines()).as("%s", consumed).containsExactlyElementsOf(sent);
    }

    @Test
    void kcatLooksUpOffsetsByTimestamp() throws Exception {
        String topic = "kcat-times";
        createTopic(topic, 2);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 5; i++) {
                long timestamp = 1_000L * (i + 1);
                producer.send(new ProducerRecord<>(topic, 0, timestamp, "k" + i, "v" + i));
                producer.send(new ProducerRecord<>(topic, 1, timestamp + 500, "k" + i, "v" + i));
            }
            producer.flush();
        }

        List<String> answers = new ArrayList<>();
        for (String query : List.of("0:1000", "0:2500", "1:2500", "1:5500", "0:5001", "0:-1", "0:-2")) {
            ChildProcess.Result result = kcat("", "-Q", "-t", topic + ":" + query);
            assertThat(result.exitCode()).as("%s", result).isZero();
            answers.addAll(result.lines());
        }

        assertThat(answers).containsExactly(
                topic + " [0] offset 0",   // the first record is at exactly 1000
                topic + " [0] offset 2",   // first at or after 2500: 3000
                topic + " [1] offset 1",   // partition 1 has 1500, 2500, ...: 2500 itself
                topic + " [1] offset 4",   // 5500
                topic + " [0] offset -1",  // after the last timestamp: none
                topic + " [0] offset 5",   // -1: the end of the log
                topic + " [0] offset 0");  // -2: the start of the log
    }

    private static List<CompressionType> produceAndConsumeBack(String topic, String codec) throws Exception {
        createTopic(topic, 1);
        List<String> sent = IntStream.range(0, RECORDS).mapToObj(LibrdkafkaCompatibilityTest::keyValue).toList();

        ChildProcess.Result produced = kcat(String.join("\n", sent) + "\n", "-P", "-t", topic, "-K", ":", "-z", codec);
        assertThat(produced.exitCode()).as("%s", produced).isZero();
        ChildProcess.Result consumed = kcat("", "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%k:%s\\n");

        assertThat(consumed.exitCode()).as("%s", consumed).isZero();
        assertThat(consumed.lines()).as("%s", consumed).containsExactlyElementsOf(sent);
        return StoredBatches.compressionTypes(dataDir, topic, 0);
    }

    /** A keyed line whose value compresses well with any codec. */
    private static String keyValue(int i) {
        return "key-%03d:value-%03d-%s".formatted(i, i, "abcdefgh".repeat(16));
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic(topic, partitions, (short) 1)));
        }
    }

    private static Optional<Short> advertisedMinVersion(ApiKeys api) throws IOException {
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            ApiVersionsResponse response = (ApiVersionsResponse) connection.send(
                    new ApiVersionsRequest.Builder().build((short) 3));
            return Optional.ofNullable(response.apiVersion(api.id)).map(ApiVersion::minVersion);
        }
    }

    private static ChildProcess.Result kcat(String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers(), "-m", "20"));
        command.addAll(List.of(args));
        return ChildProcess.run(Path.of("."), stdin, Duration.ofSeconds(60), command);
    }
}
