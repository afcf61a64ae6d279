package io.gregor.server.cli;

import io.gregor.broker.config.BrokerConfig;
import io.gregor.server.config.ServerProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gregor local-cluster N}: N nodes of one cluster, each broker and controller (or, with
 * {@code --controllers K}, N broker-only nodes and K controller-only nodes), in this JVM on
 * loopback, until Ctrl-C. For trying replication and failover on one machine; the nodes are
 * configured exactly as separate {@code gregor server} processes would be (docs/cluster.md), so
 * one JVM is only a convenience: one command to start, one Ctrl-C to stop them all.
 */
@Command(name = "local-cluster", mixinStandardHelpOptions = true,
        description = {
                "Run a cluster of N nodes (each broker and controller) on localhost in this process, until Ctrl-C.",
                "Node i listens for clients on base-port+i-1 and for the quorum on controller-base-port+i-1.",
                "With --controllers K, nodes 1..N are brokers only and nodes N+1..N+K controllers only."},
        footer = {"", "Examples:",
                "  gregor local-cluster 3",
                "  gregor local-cluster 3 --controllers 3",
                "  gregor local-cluster 3 --override default.replication.factor=3 --override min.insync.replicas=2"})
final class LocalClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "N", description = "How many nodes (1 to 9).")
    int nodes;

    @Option(names = "--controllers", defaultValue = "0", paramLabel = "K",
            description = "Separate controller-only nodes (0 to 9; default ${DEFAULT-VALUE}: every node is both).")
    int controllers;

    @Option(names = "--base-port", defaultValue = "9092", description = "Client port of node 1 (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--controller-base-port", defaultValue = "19092",
            description = "Quorum (Raft) port of node 1 (default: ${DEFAULT-VALUE}).")
    int controllerBasePort;

    @Option(names = "--data-dir", defaultValue = "./gregor-data/local-cluster", paramLabel = "DIR",
            description = "Parent of the nodes' data directories node-1, node-2, ... (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--override", paramLabel = "KEY=VALUE",
            description = "Set a configuration key on every node; repeatable.")
    List<String> overrides = new ArrayList<>();

    private final BrokerLauncher launcher;
    private final Supplier<ServerCommand.StopSignal> stopSignals;

    LocalClusterCommand() {
        this(BrokerLauncher.DEFAULT, TerminationSignals::install);
    }

    LocalClusterCommand(BrokerLauncher launcher, Supplier<ServerCommand.StopSignal> stopSignals) {
        this.launcher = launcher;
        this.stopSignals = stopSignals;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (nodes < 1 || nodes > 9) {
            throw new UsageException("N must be between 1 and 9, was " + nodes);
        }
        if (controllers < 0 || controllers > 9) {
            throw new UsageException("--controllers must be between 0 and 9, was " + controllers);
        }
        // Controllers first: the brokers register as soon as the quorum has a leader.
        List<BrokerConfig> configs = IntStream.concat(IntStream.rangeClosed(nodes + 1, nodes + controllers),
                IntStream.rangeClosed(1, nodes)).mapToObj(this::config).toList();
        ServerCommand.StopSignal stopSignal = stopSignals.get();
        List<BrokerLauncher.RunningBroker> running = new ArrayList<>();
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stopAll = () -> {
            if (stopped.compareAndSet(false, true)) {
                for (int i = running.size() - 1; i >= 0; i--) {
                    running.get(i).shutdown();
                }
            }
        };
        Thread hook = new Thread(stopAll, "gregor-local-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (BrokerConfig config : configs) {
                running.add(launcher.start(config));
            }
        } catch (RuntimeException e) {
            stopAll.run();
            throw new CliException("Gregor failed to start: " + ErrorReporter.message(ErrorReporter.unwrap(e)), e);
        }
        String bootstrap = IntStream.range(0, nodes).mapToObj(i -> "localhost:" + (basePort + i))
                .collect(Collectors.joining(","));
        String layout = controllers == 0 ? nodes + " nodes"
                : nodes + " brokers and " + controllers + " controllers";
        spec.commandLine().getOut().println("Gregor local cluster of " + layout + " started; bootstrap servers "
                + bootstrap + ", data in " + dataDir + ". Ctrl-C stops it.");
        spec.commandLine().getOut().flush();

        stopSignal.await();
        spec.commandLine().getOut().println("Stopping the local cluster...");
        spec.commandLine().getOut().flush();
        stopAll.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
        spec.commandLine().getOut().println("Gregor local cluster stopped cleanly");
        return ExitCode.OK;
    }

    /** Node {@code nodeId}: a broker (and a controller, without --controllers) up to N, a controller after. */
    private BrokerConfig config(int nodeId) {
        boolean controllerOnly = nodeId > nodes;
        String voters = IntStream.rangeClosed(1, nodes + controllers)
                .filter(id -> controllers == 0 || id > nodes)
                .mapToObj(id -> id + "@localhost:" + (controllerBasePort + id - 1))
                .collect(Collectors.joining(","));
        String controllerListener = "CONTROLLER://localhost:" + (controllerBasePort + nodeId - 1);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("node.id", Integer.toString(nodeId));
        properties.put("process.roles", controllerOnly ? "controller" : controllers == 0 ? "broker,controller" : "broker");
        properties.put("controller.quorum.voters", voters);
        properties.put("listeners", controllerOnly ? controllerListener
                : "PLAINTEXT://localhost:" + (basePort + nodeId - 1) + "," + controllerListener);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("log.dirs", dataDir.resolve("node-" + nodeId).toString());
        properties.putAll(ServerProperties.load(Optional.empty(), overrides));
        return BrokerConfig.parse(properties);
    }
}
