package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka Connect distributed worker (connect-runtime 4.1) in this JVM keeps its config, offset
 * and status topics on Gregor and joins Gregor's group coordinator with protocol type
 * {@code connect}; a FileStreamSource to FileStreamSink pipeline copies a file through a topic,
 * and after a restart of the worker and of the broker resumes from the source offsets, sink
 * offsets and connector configs it stored.
 */
class KafkaConnectTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String CLUSTER = "connect";
    private static final String CONFIG_TOPIC = CLUSTER + "-configs";
    private static final String OFFSET_TOPIC = CLUSTER + "-offsets";
    private static final String STATUS_TOPIC = CLUSTER + "-status";
    private static final String DATA_TOPIC = "file-lines";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path files;
    static GregorBroker broker;
    static Admin admin;
    private static final Pattern WORKER_ID = Pattern.compile("\"worker_id\":\"([^\"]+)\"");
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void fileSourceToFileSinkCopiesExactlyAndResumesAfterAWorkerAndBrokerRestart() throws Exception {
        Path source = files.resolve("source.txt");
        Path sink = files.resolve("sink.txt");
        List<String> firstLines = lines("first", 0, 500);
        Files.write(source, firstLines);
        admin.createTopics(List.of(new NewTopic(DATA_TOPIC, 1, (short) 1))).all().get();

        Connect<?> worker = startWorker(CLUSTER);
        try {
            createConnector(worker, "file-source", Map.of(
                    "connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                    "tasks.max", "1",
                    "file", source.toString(),
                    "topic", DATA_TOPIC));
            createConnector(worker, "file-sink", Map.of(
                    "connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
                    "tasks.max", "1",
                    "file", sink.toString(),
                    "topics", DATA_TOPIC));

            awaitLines(sink, firstLines);
        } finally {
            worker.stop();
        }

        // The broker restarts too: the Connect group, the sink's committed offsets and the
        // internal topics are read back from disk.
        broker.restart();
        List<String> secondLines = lines("second", 500, 300);
        Files.write(source, secondLines, StandardOpenOption.APPEND);
        List<String> allLines = new ArrayList<>(firstLines);
        allLines.addAll(secondLines);

        Connect<?> restarted = startWorker(CLUSTER);
        try {
            assertThat(get(restarted, "/connectors"))
                    .as("connector configs read back from %s", CONFIG_TOPIC)
                    .contains("\"file-source\"", "\"file-sink\"");
            awaitLines(sink, allLines);

            // KIP-875: the sink's offsets are its consumer group's, read with OffsetFetch; a reset
            // deletes them (OffsetDelete) and the resumed sink copies the topic once more.
            assertThat(get(restarted, "/connectors/file-sink/offsets")).contains("\"kafka_offset\":800");
            assertThat(request(restarted, "PUT", "/connectors/file-sink/stop").statusCode()).isEqualTo(204);
            await("sink stopped").atMost(TIMEOUT).until(() -> get(restarted, "/connectors/file-sink/status")
                    .contains("\"state\":\"STOPPED\""));
            HttpResponse<String> reset = request(restarted, "DELETE", "/connectors/file-sink/offsets");
            assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
            assertThat(request(restarted, "PUT", "/connectors/file-sink/resume").statusCode()).isEqualTo(202);
            List<String> copiedTwice = new ArrayList<>(allLines);
            copiedTwice.addAll(allLines);
            awaitLines(sink, copiedTwice);
        } finally {
            restarted.stop();
        }

        for (String topic : List.of(CONFIG_TOPIC, OFFSET_TOPIC, STATUS_TOPIC)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get("cleanup.policy").value()).as(topic).isEqualTo("compact");
        }
    }

    @Test
    void connectorsMoveToTheRemainingWorkerWhenAWorkerLeaves() throws Exception {
        String cluster = "pair";
        List<String> topics = List.of("pair-a", "pair-b");
        admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, 1, (short) 1)).toList()).all().get();
        Connect<?> first = startWorker(cluster);
        Connect<?> second = startWorker(cluster);
        try {
            for (String topic : topics) {
                createConnector(first, topic + "-sink", Map.of(
                        "connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
                        "tasks.max", "1",
                        "file", files.resolve(topic + ".txt").toString(),
                        "topics", topic));
            }
            // The group's leader spreads the two connectors and their tasks over both workers.
            await("tasks on both workers").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> taskWorkers(second, topics).size() == 2);
            List<String> before = lines("before", 0, 200);
            produce(topics, before);
            for (String topic : topics) {
                awaitLines(files.resolve(topic + ".txt"), before);
            }

            first.stop();
            String secondWorker = second.rest().advertisedUrl().getAuthority();
            await("tasks on the remaining worker").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> taskWorkers(second, topics).equals(Set.of(secondWorker)));
            List<String> after = lines("after", 200, 200);
            produce(topics, after);
            List<String> all = new ArrayList<>(before);
            all.addAll(after);
            for (String topic : topics) {
                awaitLines(files.resolve(topic + ".txt"), all);
            }
        } finally {
            first.stop();
            second.stop();
        }
    }

    /** The workers (host:port) running the first task of each topic's sink connector; none while one is unassigned. */
    private static Set<String> taskWorkers(Connect<?> worker, List<String> topics) {
        Set<String> workers = new HashSet<>();
        for (String topic : topics) {
            HttpResponse<String> status = request(worker, "GET", "/connectors/" + topic + "-sink/tasks/0/status");
            Matcher workerId = WORKER_ID.matcher(status.body());
            if (status.statusCode() != 200 || !status.body().contains("\"state\":\"RUNNING\"") || !workerId.find()) {
                return Set.of();
            }
            workers.add(workerId.group(1));
        }
        return workers;
    }

    private static void produce(List<String> topics, List<String> lines) {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            for (String topic : topics) {
                lines.forEach(line -> producer.send(new ProducerRecord<>(topic, line)));
            }
            producer.flush();
        }
    }

    /**
     * A worker of the Connect cluster {@code cluster} (its group and internal topics are named
     * after it); a worker started after another one stopped reuses them, as a restarted worker
     * does. Strings pass through unchanged, so a sink file can be compared with its source.
     */
    private static Connect<?> startWorker(String cluster) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("group.id", "gregor-" + cluster);
        props.put("listeners", "http://127.0.0.1:0");
        props.put("config.storage.topic", cluster + "-configs");
        props.put("offset.storage.topic", cluster + "-offsets");
        props.put("status.storage.topic", cluster + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("offset.flush.interval.ms", "500");
        props.put("scheduled.rebalance.max.delay.ms", "0");
        props.put("plugin.discovery", "service_load");
        Connect<?> worker = new ConnectDistributed().startConnect(props);
        // The REST API answers before the herder has read the config topic; /health (KIP-1017)
        // says 200 once it has started.
        get(worker, "/health");
        return worker;
    }

    private static void createConnector(Connect<?> worker, String name, Map<String, String> config) {
        StringBuilder json = new StringBuilder("{\"name\":\"").append(name).append("\",\"config\":{");
        config.forEach((key, value) -> json.append('"').append(key).append("\":\"").append(value).append("\","));
        json.setLength(json.length() - 1);
        json.append("}}");
        // The worker answers 409 while it rebalances.
        await("connector " + name + " created").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(worker.rest().serverUrl().resolve("/connectors"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.toString()))
                    .build());
            assertThat(response.statusCode()).as(response.body()).isIn(201, 409);
            return response.statusCode() == 201;
        });
    }

    private static String get(Connect<?> worker, String path) {
        return await(path).atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(worker.rest().serverUrl().resolve(path)).build());
            return response.statusCode() == 200 ? response.body() : null;
        }, body -> body != null);
    }

    private static HttpResponse<String> request(Connect<?> worker, String method, String path) {
        try {
            return send(HttpRequest.newBuilder(worker.rest().serverUrl().resolve(path))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void awaitLines(Path file, List<String> expected) {
        await("sink file has " + expected.size() + " lines").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> readLines(file).size() >= expected.size());
        assertThat(readLines(file)).containsExactlyElementsOf(expected);
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(String prefix, int first, int count) {
        return IntStream.range(first, first + count).mapToObj(i -> prefix + " line " + i + " of the file").toList();
    }
}
