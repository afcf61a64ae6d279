package io.gregor.bench.compare;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One broker of the comparison, run as a child JVM on loopback with its data in a temporary
 * directory that is deleted when it stops. Subclasses say how to prepare and start it; this
 * class measures start-up (process start until the listener accepts a TCP connection, and
 * until the broker answers an ApiVersions request),
 * CPU time and peak RSS of the broker process.
 */
abstract class BrokerUnderTest implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    final ChildJvm jvm;
    final Path workDir;
    final int port;
    /** Extra broker JVM options, the same for both brokers (e.g. a flight recording). */
    private List<String> extraJvmOptions = List.of();
    private static final long NOT_YET = -1;

    private Process process;
    private long acceptMillis = NOT_YET;
    private long startupMillis;

    BrokerUnderTest(ChildJvm jvm, Path workDir) throws IOException {
        this.jvm = jvm;
        this.workDir = Files.createDirectories(workDir);
        this.port = freePort();
    }

    abstract String name();

    /** Anything to do before the timed start (Kafka formats its storage). */
    abstract void prepare() throws IOException, InterruptedException;

    abstract Process launch() throws IOException;

    final void start() throws IOException, InterruptedException {
        prepare();
        long begin = System.nanoTime();
        process = launch();
        try {
            // A short, fixed poll interval: the time to the first answer is what is measured.
            Awaitility.await(name() + " answering ApiVersions")
                    .atMost(START_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> answered(begin));
        } catch (ConditionTimeoutException e) {
            throw new IOException(name() + " did not answer within " + START_TIMEOUT, e);
        }
        startupMillis = (System.nanoTime() - begin) / 1_000_000;
        if (acceptMillis == NOT_YET) {
            acceptMillis = startupMillis;
        }
    }

    /** One start-up probe; notes when TCP first connects, fails fast if the broker died. */
    private boolean answered(long begin) throws IOException {
        Probe probe = probe();
        if (probe == Probe.CONNECTED && acceptMillis == NOT_YET) {
            acceptMillis = (System.nanoTime() - begin) / 1_000_000;
        }
        if (probe != Probe.ANSWERED && !process.isAlive()) {
            throw new IOException(name() + " exited with " + process.exitValue() + " during start-up; see "
                    + workDir.resolve("broker.log"));
        }
        return probe == Probe.ANSWERED;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Process start until the broker answered ApiVersions. */
    long startupMillis() {
        return startupMillis;
    }

    /** Process start until the listener first accepted a TCP connection (answered or not). */
    long acceptMillis() {
        return acceptMillis;
    }

    ProcStats.CpuTime cpu() throws IOException {
        return ProcStats.cpu(process.pid());
    }

    long peakRssBytes() throws IOException {
        return ProcStats.peakRssBytes(process.pid());
    }

    Path brokerLog() {
        return workDir.resolve("broker.log");
    }

    Path dataDir() {
        return workDir.resolve("data");
    }

    /**
     * Stops the broker and deletes its data. Its data is thrown away, so by default it is
     * killed (Kafka's controlled shutdown alone takes seconds, which nothing here measures);
     * with a flight recording it gets SIGTERM, so that the JVM writes the recording on exit.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            if (extraJvmOptions.isEmpty()) {
                process.destroyForcibly().waitFor();
            } else {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
        deleteRecursively(dataDir());
    }

    void extraJvmOptions(List<String> options) {
        this.extraJvmOptions = List.copyOf(options);
    }

    /** The broker JVM options both brokers get, and the extra ones of this run. */
    List<String> brokerJvmOptions() {
        return Stream.of(ChildJvm.BROKER_JVM_OPTIONS, extraJvmOptions).flatMap(List::stream).toList();
    }

    /** Kafka logs at INFO to a file, as it does out of the box. */
    Path writeLogbackConfig() throws IOException {
        Path file = workDir.resolve("logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level %%logger{0} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(workDir.resolve("server.log")));
        return file;
    }

    /** How far a start-up probe got. */
    private enum Probe { REFUSED, CONNECTED, ANSWERED }

    /** Connects and sends ApiVersions v0 (request header v1, empty body); reads the answer's correlation id. */
    private Probe probe() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            try {
                socket.setSoTimeout(2000);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeInt(2 + 2 + 4 + 2);
                out.writeShort(18); // ApiVersions
                out.writeShort(0);
                out.writeInt(42);
                out.writeShort(-1); // null client id
                out.flush();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                in.readInt();
                return in.readInt() == 42 ? Probe.ANSWERED : Probe.CONNECTED;
            } catch (IOException notServingYet) {
                return Probe.CONNECTED;
            }
        } catch (IOException refused) {
            return Probe.REFUSED;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
