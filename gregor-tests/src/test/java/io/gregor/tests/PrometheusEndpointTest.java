package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorProcess;
import io.gregor.testkit.PortFinder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's meters scraped as Prometheus scrapes them: a broker process with
 * metrics.prometheus.listener set, real clients producing and consuming, and GET /metrics over
 * HTTP, checked against what the clients did and what AdminClient says.
 */
class PrometheusEndpointTest {
    private static final int RECORDS = 300;
    private static final int VALUE_BYTES = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void metricsCountWhatClientsProducedAndConsumedUnderTheJmxExportersNames() throws Exception {
        int httpPort = PortFinder.freeLoopbackPorts(1).get(0);
        try (GregorProcess broker = new GregorProcess(dir.resolve("data"),
                Map.of("metrics.prometheus.listener", "127.0.0.1:" + httpPort)).start()) {
            int partitions;
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("scraped", 3, (short) 1)));
                Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
                partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .mapToInt(description -> description.partitions().size())
                        .sum();
                // a quota the consumer stays well within, for its quota meter
                admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                        new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "scraping-consumer")),
                        List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 1e9))))).all().get();
            }
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>("scraped", "key-" + i, "v".repeat(VALUE_BYTES))).get();
                }
            }
            try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                    Map.of("client.id", "scraping-consumer"))) {
                List<TopicPartition> assigned = List.of(new TopicPartition("scraped", 0),
                        new TopicPartition("scraped", 1), new TopicPartition("scraped", 2));
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
                assertThat(Clients.pollUntil(consumer, RECORDS, Duration.ofSeconds(30))).hasSize(RECORDS);
            }

            URI metrics = URI.create("http://127.0.0.1:" + httpPort + "/metrics");
            // a fetch is counted once its response is on its way, so a scrape may just precede it
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String text = get(metrics, "text/plain").body();
                assertThat(value(text, "kafka_server_brokertopicmetrics_messagesin_total{topic=\"scraped\"}"))
                        .isEqualTo(RECORDS);
                assertThat(value(text, "kafka_server_brokertopicmetrics_bytesin_total{topic=\"scraped\"}"))
                        .isGreaterThan((double) RECORDS * VALUE_BYTES);
                assertThat(value(text, "kafka_server_brokertopicmetrics_bytesout_total{topic=\"scraped\"}"))
                        .isPositive();
                assertThat(value(text, "kafka_server_brokertopicmetrics_totalproducerequests_total{topic=\"scraped\"}"))
                        .isEqualTo(RECORDS);
                assertThat(value(text, "kafka_server_replicamanager_partitioncount")).isEqualTo(partitions);
                assertThat(value(text, "kafka_server_replicamanager_leadercount")).isEqualTo(partitions);
                assertThat(value(text, "kafka_server_replicamanager_underreplicatedpartitions")).isZero();
                assertThat(value(text, "kafka_controller_kafkacontroller_activecontrollercount")).isEqualTo(1);
                assertThat(value(text, "kafka_network_requestmetrics_totaltimems_count{request=\"Produce\"}"))
                        .isGreaterThanOrEqualTo(RECORDS);
                assertThat(value(text,
                        "kafka_server_quota_byte_rate{clientId=\"scraping-consumer\",resource=\"Fetch\"}"))
                        .isPositive();
            });
            String text = get(metrics, "text/plain").body();
            assertThat(text).contains("# TYPE kafka_server_brokertopicmetrics_messagesin_total counter",
                    "# TYPE kafka_server_replicamanager_partitioncount gauge",
                    "# TYPE kafka_network_requestmetrics_totaltimems summary",
                    "kafka_network_requestmetrics_totaltimems{request=\"Fetch\",quantile=\"0.99\"}");
            // and the JVM's own, under the client library's standard names
            assertThat(value(text, "jvm_memory_used_bytes{area=\"heap\"}")).isPositive();
            assertThat(value(text, "process_cpu_seconds_total")).isPositive();
            assertThat(value(text, "jvm_threads_current")).isPositive();

            HttpResponse<String> openMetrics = get(metrics, "application/openmetrics-text; version=1.0.0");
            assertThat(openMetrics.headers().firstValue("Content-Type")).get().asString()
                    .startsWith("application/openmetrics-text");
            assertThat(openMetrics.body()).endsWith("# EOF\n");
        }
    }

    @Test
    void theDefaultBrokerListensOnlyForKafkaClients() throws Exception {
        try (GregorProcess broker = new GregorProcess(dir.resolve("data"), Map.of()).start()) {
            assertThat(listeningPorts(broker.pid())).containsExactly(broker.port());
        }
    }

    @Test
    void aPortInUseStopsTheBrokerWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            GregorProcess broker = new GregorProcess(dir.resolve("data"),
                    Map.of("metrics.prometheus.listener", "127.0.0.1:" + taken.getLocalPort()));
            try (broker) {
                assertThat(broker.runExpectingExit()).isEqualTo(1);
                assertThat(broker.log()).containsOnlyOnce("metrics.prometheus.listener 127.0.0.1:"
                        + taken.getLocalPort() + ": cannot listen: Address already in use");
            }
        }
    }

    private static HttpResponse<String> get(URI uri, String accept) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).header("Accept", accept)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    /** The value of the sample written exactly as {@code sample} (name and labels). */
    private static double value(String text, String sample) {
        Optional<String> line = text.lines().filter(l -> l.startsWith(sample + " ")).findFirst();
        assertThat(line).as("the sample " + sample).isPresent();
        return Double.parseDouble(line.get().substring(sample.length() + 1).trim());
    }

    /** The TCP ports process {@code pid} listens on: its sockets' inodes found in /proc/net/tcp{,6} in state LISTEN. */
    private static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        Pattern socket = Pattern.compile("socket:\\[(\\d+)]");
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Matcher matcher = socket.matcher(Files.readSymbolicLink(fd).toString());
                    if (matcher.matches()) {
                        inodes.add(matcher.group(1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listed is no listening socket
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String row : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))) {
                String[] columns = row.trim().split("\\s+");
                boolean listening = columns.length > 9 && columns[3].equals("0A");
                if (listening && inodes.contains(columns[9])) {
                    String local = columns[1];
                    ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
