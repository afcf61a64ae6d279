package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kafka Streams 4.1 word count on Gregor: Streams creates its repartition and changelog topics
 * through CreateTopics, joins the group with its own assignor, commits offsets and produces the
 * counts. The processing guarantee is the parameter: at_least_once must lose no word when the
 * application is killed mid-stream; exactly_once_v2 (transactions V2, read_committed) must also
 * count none twice, the killed instance's open transaction being aborted when its successor
 * starts.
 */
class KafkaStreamsWordCountTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int PARTITIONS = 3;
    private static final int LINES = 4_000;
    private static final int WORDS_PER_LINE = 8;
    private static final int VOCABULARY = 50;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path stateDirs;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "1000"));
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
    void countsEveryWordExactly(String guarantee) throws Exception {
        String applicationId = "exact-" + guarantee.replace('_', '-');
        String input = createTopics(applicationId);
        List<String> text = text(0, LINES);
        produce(input, text);

        try (KafkaStreams streams = new KafkaStreams(
                WordCountApplication.topology(input, outputOf(input)),
                WordCountApplication.config(broker.bootstrapServers(), applicationId, guarantee,
                        stateDirs.resolve(applicationId)));
             LatestCounts counts = new LatestCounts(outputOf(input))) {
            streams.start();
            Map<String, Long> expected = wordCounts(text);

            counts.awaitAtLeast(expected);
            assertThat(counts.latest()).isEqualTo(expected);

            ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC,
                    applicationId + "-" + WordCountApplication.COUNTS_STORE + "-changelog");
            assertThat(admin.describeConfigs(List.of(changelog)).all().get().get(changelog)
                    .get("cleanup.policy").value()).as("changelog created by Streams").isEqualTo("compact");
            String repartition = applicationId + "-" + WordCountApplication.COUNTS_STORE + "-repartition";
            if (guarantee.startsWith("exactly_once")) {
                // The repartition topic also holds transaction markers; Streams purges up to its
                // committed offsets, which leaves at most the last commit marker of a partition.
                await("consumed repartition records purged").atMost(TIMEOUT).until(() -> {
                    Map<TopicPartition, Long> starts = logStartOffsets(repartition);
                    Map<TopicPartition, Long> ends = offsets(repartition, OffsetSpec.latest());
                    return ends.values().stream().mapToLong(Long::longValue).sum() > (long) LINES * WORDS_PER_LINE
                            && ends.entrySet().stream().allMatch(e -> e.getValue() - starts.get(e.getKey()) <= 1);
                });
            } else {
                await("consumed repartition records purged").atMost(TIMEOUT)
                        .until(() -> logStartOffsets(repartition).values().stream().mapToLong(Long::longValue).sum(),
                                purged -> purged == (long) LINES * WORDS_PER_LINE);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
    void losesNoWordWhenTheApplicationIsKilledMidStream(String guarantee) throws Exception {
        String applicationId = "killed-" + guarantee.replace('_', '-');
        String input = createTopics(applicationId);
        Path stateDir = stateDirs.resolve(applicationId);
        List<String> firstHalf = text(0, LINES / 2);
        List<String> secondHalf = text(LINES / 2, LINES / 2);
        List<String> text = new ArrayList<>(firstHalf);
        text.addAll(secondHalf);

        try (LatestCounts counts = new LatestCounts(outputOf(input))) {
            produce(input, firstHalf);
            Process first = startApplication(applicationId, guarantee, stateDir, input);
            try {
                await("first counts").atMost(TIMEOUT).until(() -> !counts.poll().isEmpty());
                produce(input, secondHalf);
            } finally {
                sigkill(first);
            }

            Process second = startApplication(applicationId, guarantee, stateDir, input);
            try {
                Map<String, Long> expected = wordCounts(text);
                try {
                    counts.awaitAtLeast(expected);
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError(e.getMessage() + "; the application logged:\n"
                            + Files.readString(applicationLog(applicationId)), e);
                }

                assertCounts(guarantee, counts.latest(), expected);
            } finally {
                sigkill(second);
            }
        }
    }

    private static Map<TopicPartition, Long> logStartOffsets(String topic) throws Exception {
        return offsets(topic, OffsetSpec.earliest());
    }

    private static Map<TopicPartition, Long> offsets(String topic, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            query.put(new TopicPartition(topic, p), spec);
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(query).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
    void losesNoWordWhenTheBrokerRestartsMidStream(String guarantee) throws Exception {
        String applicationId = "broker-restart-" + guarantee.replace('_', '-');
        String input = createTopics(applicationId);
        List<String> firstHalf = text(0, LINES / 2);
        List<String> secondHalf = text(LINES / 2, LINES / 2);
        List<String> text = new ArrayList<>(firstHalf);
        text.addAll(secondHalf);

        try (KafkaStreams streams = new KafkaStreams(
                WordCountApplication.topology(input, outputOf(input)),
                WordCountApplication.config(broker.bootstrapServers(), applicationId, guarantee,
                        stateDirs.resolve(applicationId)));
             LatestCounts counts = new LatestCounts(outputOf(input))) {
            produce(input, firstHalf);
            streams.start();
            await("first counts").atMost(TIMEOUT).until(() -> !counts.poll().isEmpty());
            produce(input, secondHalf);
            broker.restart();

            Map<String, Long> expected = wordCounts(text);
            counts.awaitAtLeast(expected);
            assertCounts(guarantee, counts.latest(), expected);
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    /** Exactly once counts every word once; at least once may count some twice but loses none. */
    private static void assertCounts(String guarantee, Map<String, Long> latest, Map<String, Long> expected) {
        assertThat(latest.keySet()).isEqualTo(expected.keySet());
        if (guarantee.startsWith("exactly_once")) {
            assertThat(latest).isEqualTo(expected);
        } else {
            expected.forEach((word, count) -> assertThat(latest.get(word)).as(word).isGreaterThanOrEqualTo(count));
        }
    }

    /** Creates the input and output topics of one run; returns the input topic's name. */
    private static String createTopics(String run) throws Exception {
        String input = run + "-lines";
        admin.createTopics(List.of(new NewTopic(input, PARTITIONS, (short) 1),
                new NewTopic(outputOf(input), PARTITIONS, (short) 1))).all().get();
        return input;
    }

    private static String outputOf(String input) {
        return input + "-counts";
    }

    /** Deterministic lines over a fixed vocabulary, word frequencies uneven so that a lost or doubled word shows. */
    private static List<String> text(int firstLine, int lines) {
        List<String> text = new ArrayList<>(lines);
        for (int line = firstLine; line < firstLine + lines; line++) {
            StringBuilder words = new StringBuilder();
            for (int i = 0; i < WORDS_PER_LINE; i++) {
                int word = (int) (((long) line * 31 + (long) i * i * 17) % (VOCABULARY + i * 3)) % VOCABULARY;
                words.append(i == 0 ? "" : " ").append("word").append(word);
            }
            text.add(words.toString());
        }
        return text;
    }

    private static Map<String, Long> wordCounts(List<String> text) {
        Map<String, Long> counts = new TreeMap<>();
        text.forEach(line -> {
            for (String word : line.split(" ")) {
                counts.merge(word, 1L, Long::sum);
            }
        });
        return counts;
    }

    private static void produce(String topic, List<String> lines) {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            for (int i = 0; i < lines.size(); i++) {
                producer.send(new ProducerRecord<>(topic, "line-" + i, lines.get(i)));
            }
            producer.flush();
        }
    }

    private static Process startApplication(String applicationId, String guarantee, Path stateDir, String input)
            throws IOException {
        return new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                WordCountApplication.class.getName(),
                broker.bootstrapServers(), applicationId, guarantee, stateDir.toString(), input, outputOf(input))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(applicationLog(applicationId).toFile()))
                .start();
    }

    /** Where both runs of a killed and restarted application write their output. */
    private static Path applicationLog(String applicationId) {
        return stateDirs.resolve(applicationId + ".log");
    }

    private static void sigkill(Process process) throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed application exited").isTrue();
    }

    /** The output topic read from the beginning, keeping the last count per word, as a table would. */
    private static final class LatestCounts implements AutoCloseable {
        private final KafkaConsumer<String, Long> consumer;
        private final Map<String, Long> latest = new HashMap<>();

        LatestCounts(String topic) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // Under exactly_once_v2 the counts of aborted transactions must not be seen.
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), new LongDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        Map<String, Long> poll() {
            consumer.poll(Duration.ofMillis(100)).forEach(record -> latest.put(record.key(), record.value()));
            return latest;
        }

        Map<String, Long> latest() {
            return new TreeMap<>(latest);
        }

        void awaitAtLeast(Map<String, Long> expected) {
            await("counts of " + expected.size() + " words").atMost(TIMEOUT).until(() -> {
                Map<String, Long> counts = poll();
                return expected.entrySet().stream()
                        .allMatch(e -> counts.getOrDefault(e.getKey(), 0L) >= e.getValue());
            });
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
