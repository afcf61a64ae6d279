package io.gregor.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Gregor broker in its own JVM, for tests that kill or restart it: {@link #kill()} sends
 * SIGKILL, {@link #stop()} SIGTERM. The child runs {@code gregor server} from the test's own
 * classpath, on a fixed loopback port so that a restart keeps the address clients know.
 * {@link #pause()} and {@link #resume()} send SIGSTOP and SIGCONT.
 */
public final class GregorProcess implements AutoCloseable {
    /**
     * A bound, not a wait: a broker is up in a few seconds, but the end-to-end tests run two test
     * JVMs at once, and a class that starts three brokers together on a busy two-core machine
     * was seen to take longer than 30 s for one of them.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final String host;
    private final List<String> launchPrefix;
    private final int port;
    private final Map<String, String> overrides;
    private final Path logFile;
    private final List<String> jvmOptions = new ArrayList<>();
    private Process process;

    public GregorProcess(Path dataDir, Map<String, String> overrides) {
        this(dataDir, PortFinder.freeLoopbackPort(), overrides);
    }

    /** A broker whose PLAINTEXT listener is on {@code port}; overrides may replace the listeners. */
    public GregorProcess(Path dataDir, int port, Map<String, String> overrides) {
        this(dataDir, NodeNetwork.LOOPBACK, port, overrides);
    }

    /**
     * A broker on {@code network}'s address: its PLAINTEXT listener is {@code host:port} and its
     * JVM is launched through the network's command prefix (e.g. {@code ip netns exec <ns>}).
     */
    public GregorProcess(Path dataDir, NodeNetwork network, int port, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.host = network.host();
        this.launchPrefix = List.copyOf(network.launchPrefix());
        this.port = port;
        this.overrides = new LinkedHashMap<>(overrides);
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + "-broker.log");
    }

    /**
     * The nodes of a cluster on loopback, not started: {@code nodes} combined broker and
     * controller nodes with ids 1..n, data in {@code baseDir/node-<id>}, a PLAINTEXT listener each
     * and a CONTROLLER listener (the Raft port) each, all in controller.quorum.voters.
     * {@code overrides} apply to every node, after these settings.
     */
    public static List<GregorProcess> cluster(Path baseDir, int nodes, Map<String, String> overrides) {
        return cluster(baseDir, nodes, 0, overrides);
    }

    /**
     * Like {@link #cluster(Path, int, Map)}, node {@code id} also given {@code nodeOverrides.apply(id)}
     * (its {@code broker.rack}, say), after the common overrides.
     */
    public static List<GregorProcess> cluster(Path baseDir, int nodes, Map<String, String> overrides,
                                              IntFunction<Map<String, String>> nodeOverrides) {
        return ClusterNodeConfigs.of(baseDir, nodes, 0, overrides, id -> NodeNetwork.LOOPBACK.host(), nodeOverrides)
                .stream()
                .map(node -> new GregorProcess(node.dataDir(), NodeNetwork.LOOPBACK, node.port(), node.settings()))
                .toList();
    }

    /**
     * Like {@link #cluster(Path, int, Map)}, plus {@code brokerOnly} nodes (ids after the voters)
     * with {@code process.roles=broker}, which follow the metadata log on their CONTROLLER listener
     * without voting.
     */
    public static List<GregorProcess> cluster(Path baseDir, int voterCount, int brokerOnly,
                                              Map<String, String> overrides) {
        return cluster(baseDir, voterCount, brokerOnly, overrides, id -> NodeNetwork.LOOPBACK);
    }

    /**
     * Like {@link #cluster(Path, int, int, Map)}, with node {@code id} on {@code network.apply(id)}
     * instead of loopback: its listeners and its voter address use that network's host.
     */
    public static List<GregorProcess> cluster(Path baseDir, int voterCount, int brokerOnly,
                                              Map<String, String> overrides, IntFunction<NodeNetwork> network) {
        return ClusterNodeConfigs.of(baseDir, voterCount, brokerOnly, overrides, id -> network.apply(id).host())
                .stream()
                .map(node -> new GregorProcess(node.dataDir(), network.apply(node.id()), node.port(), node.settings()))
                .toList();
    }

    /**
     * A cluster on loopback with the given {@code process.roles} per node (node {@code i + 1} has
     * {@code roles.get(i)}, e.g. {@code "controller"}, {@code "broker"}, {@code "broker,controller"}):
     * the nodes with the controller role are the voters. A controller-only node listens only on
     * its CONTROLLER listener, and {@link #port()} is that one.
     */
    public static List<GregorProcess> clusterWithRoles(Path baseDir, List<String> roles,
                                                       Map<String, String> overrides) {
        return ClusterNodeConfigs.of(baseDir, roles, overrides, id -> NodeNetwork.LOOPBACK.host(), id -> Map.of())
                .stream()
                .map(node -> new GregorProcess(node.dataDir(), NodeNetwork.LOOPBACK, node.port(), node.settings()))
                .toList();
    }

    /** A setting this node is started with (its cluster settings included), if it has one. */
    public Optional<String> setting(String key) {
        return Optional.ofNullable(overrides.get(key));
    }

    /** The settings this node is started with (beyond its data directory), to start another like it. */
    public Map<String, String> settings() {
        return Map.copyOf(overrides);
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Adds options for the broker's JVM (system properties, say), for the next {@link #start()}. */
    public GregorProcess withJvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /** Starts the broker and returns once it accepts connections. */
    public GregorProcess start() {
        process = launch();
        awaitAcceptingConnections();
        return this;
    }

    /**
     * Starts the broker and returns at once, for a node that is expected not to come up as far as
     * accepting connections (it cannot reach its cluster, say); {@link #log()} has what it says.
     */
    public GregorProcess startWithoutWaiting() {
        process = launch();
        return this;
    }

    private Process launch() {
        List<String> command = new ArrayList<>(launchPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "io.gregor.server.cli.GregorCommand", "server",
                "--override", "listeners=PLAINTEXT://" + host + ":" + port,
                "--override", "log.dirs=" + dataDir));
        overrides.forEach((key, value) -> {
            command.add("--override");
            command.add(key + "=" + value);
        });
        try {
            Files.createDirectories(logFile.getParent());
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a broker that is expected not to start (bad configuration): waits for it to exit and
     * returns its exit code; {@link #log()} has what it printed.
     */
    public int runExpectingExit() {
        process = launch();
        return awaitExit();
    }

    /** The broker's process id, for a test that looks at what the process holds (its sockets, say). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed beyond the page cache. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the broker shuts down cleanly. Returns its exit code. */
    public int stop() {
        process.destroy();
        return awaitExit();
    }

    /** SIGSTOP: the broker stops running (and answering) without losing a connection or a byte. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT: a paused broker runs on. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitAcceptingConnections() {
        try {
            Awaitility.await("Gregor accepting connections on port " + port)
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "Gregor exited with " + process.exitValue() + ":\n" + log());
                        }
                        return acceptsConnections();
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(e.getMessage() + ":\n" + log(), e);
        }
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
