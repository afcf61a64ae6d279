package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.PortFinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/gregor}, the script users run, as they run it: the runnable jar the build makes, the
 * class-data archive the script makes on a first start, {@code GREGOR_OPTS}, {@code JMX_PORT}, and
 * a stop by SIGTERM.
 * Every other end-to-end test starts the broker's main class directly.
 */
class LauncherScriptTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path scratch;

    @Test
    void aBrokerStartedByTheScriptServesClientsStopsOnSigtermWithStatusZeroAndKeepsItsRecords() throws Exception {
        Path dataDir = scratch.resolve("data");
        int port = PortFinder.freeLoopbackPorts(1).get(0);
        String bootstrap = "127.0.0.1:" + port;
        List<String> sent = IntStream.range(0, 20).mapToObj(i -> "record-" + i).toList();

        Process broker = startServer(port, dataDir, scratch.resolve("first.log"));
        try {
            try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of())) {
                for (String value : sent) {
                    producer.send(new ProducerRecord<>("launched", value)).get();
                }
            }
            assertThat(readAll(bootstrap, sent.size())).isEqualTo(sent);
            Result listed = gregor(Map.of(), "topic", "list", "--bootstrap-server", bootstrap);
            assertThat(listed.exitCode()).as(listed.output()).isZero();
            assertThat(listed.output()).contains("launched");
        } finally {
            broker.destroy(); // SIGTERM
        }
        assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
        assertThat(broker.exitValue()).as("a clean stop reads as success").isZero();

        Process restarted = startServer(port, dataDir, scratch.resolve("second.log"));
        try {
            assertThat(readAll(bootstrap, sent.size())).isEqualTo(sent);
        } finally {
            restarted.destroy();
            restarted.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void jmxPortOpensTheBrokersMetricsToRemoteJmx() throws Exception {
        List<Integer> ports = PortFinder.freeLoopbackPorts(2);
        Process broker = startServer(ports.get(0), scratch.resolve("data"), scratch.resolve("jmx.log"), Map.of(
                "JMX_PORT", Integer.toString(ports.get(1)),
                // on loopback only, as every server a test starts
                "GREGOR_JMX_OPTS", "-Dcom.sun.management.jmxremote.authenticate=false"
                        + " -Dcom.sun.management.jmxremote.ssl=false -Dcom.sun.management.jmxremote.host=127.0.0.1"
                        + " -Djava.rmi.server.hostname=127.0.0.1"));
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + ports.get(1) + "/jmxrmi"))) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName activeController = new ObjectName("kafka.controller:type=KafkaController,name=ActiveControllerCount");
            Awaitility.await("the broker's MBeans").atMost(Duration.ofSeconds(10))
                    .until(() -> jmx.isRegistered(activeController));
            assertThat(jmx.getAttribute(activeController, "Value")).isEqualTo(1);
        } finally {
            broker.destroy();
            broker.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientCommandRunsWhenGregorOptsNamesAGarbageCollector() throws Exception {
        Result version = gregor(Map.of("GREGOR_OPTS", "-XX:+UseG1GC"), "--version");

        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).startsWith("Gregor ");
    }

    private List<String> readAll(String bootstrap, int expected) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap,
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "launcher-" + System.nanoTime(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.subscribe(List.of("launched"));
            return Clients.pollUntil(consumer, expected, Duration.ofSeconds(30)).stream()
                    .map(ConsumerRecord::value).toList();
        }
    }

    /** {@code bin/gregor server} on a loopback port; returns once it says it has started. */
    private Process startServer(int port, Path dataDir, Path log) throws IOException, InterruptedException {
        return startServer(port, dataDir, log, Map.of());
    }

    private Process startServer(int port, Path dataDir, Path log, Map<String, String> environment)
            throws IOException, InterruptedException {
        Map<String, String> withOptions = new HashMap<>(environment);
        withOptions.put("GREGOR_OPTS", "-Xmx256m");
        ProcessBuilder builder = script(withOptions, "server",
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override", "log.dirs=" + dataDir)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process = builder.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log);
            if (output.contains(" started in ")) {
                return process;
            }
            if (!process.isAlive()) {
                throw new AssertionError("bin/gregor server exited with " + process.exitValue() + ":\n" + output);
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        process.destroyForcibly();
        throw new AssertionError("bin/gregor server did not start within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    private record Result(int exitCode, String output) {
    }

    private Result gregor(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Path output = Files.createTempFile(scratch, "gregor", ".txt");
        Process process = script(environment, args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/gregor " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /**
     * The script with these arguments and this test's JVM first on the PATH (the script runs the
     * {@code java} it finds there). It needs the runnable jar, which the build packages before
     * this module's tests run.
     */
    private static ProcessBuilder script(Map<String, String> environment, String... args) {
        Path home = projectHome();
        assertThat(home.resolve("gregor-server/target/gregor.jar")).as("the runnable jar, built by the reactor").exists();
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/gregor").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("GREGOR_OPTS");
        builder.environment().putAll(environment);
        builder.environment().put("PATH",
                Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv().getOrDefault("PATH", ""));
        return builder;
    }

    /** The checkout: the first directory up from this module that holds bin/gregor. */
    private static Path projectHome() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin/gregor"))) {
                return dir;
            }
        }
        throw new AssertionError("no bin/gregor above " + Path.of("").toAbsolutePath());
    }
}
