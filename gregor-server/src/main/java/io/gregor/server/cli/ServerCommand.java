package io.gregor.server.cli;

import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.config.Listener;
import io.gregor.protocol.config.ConfigException;
import io.gregor.server.config.ServerProperties;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gregor server}: runs a broker in the foreground until SIGTERM or Ctrl-C, then flushes
 * and closes it and exits with 0. A shutdown hook closes the broker on any other JVM exit.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {
                "Run a Gregor broker in the foreground until SIGTERM or Ctrl-C.",
                "With no options: a single node on localhost:9092, data under ./gregor-data."},
        footer = {"", "Examples:",
                "  gregor server",
                "  gregor server --config server.properties",
                "  gregor server config/server.properties",
                "  gregor server --override listeners=PLAINTEXT://0.0.0.0:9092 --override num.partitions=3",
                "", "Configuration keys are Kafka's; see docs/configuration.md."})
final class ServerCommand implements Callable<Integer> {
    private static final int ASK_TIMEOUT_MS = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "A server.properties file (Kafka's key names).")
    Path configFile;

    /** As {@code kafka-server-start.sh config/server.properties} takes it. */
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The same as --config FILE, as kafka-server-start.sh takes it.")
    Path configFileArgument;

    @Option(names = "--override", paramLabel = "KEY=VALUE",
            description = "Set a configuration key, over the file's value; repeatable.")
    List<String> overrides = new ArrayList<>();

    /**
     * Start, answer one ApiVersions request, then stop: bin/gregor runs the server this way once
     * per build to record the classes start-up and a client's first request load in a class-data
     * archive (AppCDS) that later starts map.
     */
    @Option(names = "--stop-after-start", hidden = true)
    boolean stopAfterStart;

    private final BrokerLauncher launcher;
    private final Supplier<StopSignal> stopSignals;
    /**
     * Waits until logging is set up (see {@link StartupWarmUp}); the configuration is read
     * before, meanwhile. No logger is asked for before this returns: SLF4J would hand out a
     * stand-in while another thread sets it up, and replay what went through it with a warning.
     */
    private final Runnable loggingReady;

    ServerCommand() {
        this(() -> { });
    }

    ServerCommand(Runnable loggingReady) {
        this(BrokerLauncher.DEFAULT, TerminationSignals::install, loggingReady);
    }

    ServerCommand(BrokerLauncher launcher, Supplier<StopSignal> stopSignals) {
        this(launcher, stopSignals, () -> { });
    }

    private ServerCommand(BrokerLauncher launcher, Supplier<StopSignal> stopSignals, Runnable loggingReady) {
        this.launcher = launcher;
        this.stopSignals = stopSignals;
        this.loggingReady = loggingReady;
    }

    /** What the command waits for before it shuts the broker down: SIGTERM/SIGINT, or a test's say-so. */
    interface StopSignal {
        void await() throws InterruptedException;
    }

    /**
     * Takes {@code server} arguments that are only {@code --config FILE} or {@code FILE} (once),
     * {@code --override KEY=VALUE} and {@code --stop-after-start}, the way servers are started,
     * without picocli: its model of a command is built by reflection over old-style (Java 5) class
     * files that a class-data archive cannot hold, which took a fifth of a broker's start-up.
     * Returns false for anything else (help, --verbose, a mistake), which picocli then parses.
     */
    boolean parsePlain(String[] args) {
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            boolean valueFollows = i + 1 < args.length && !args[i + 1].startsWith("-");
            if ((arg.equals("--config") || arg.equals("-c")) && configFile == null && valueFollows) {
                configFile = Path.of(args[++i]);
            } else if (!arg.startsWith("-") && configFile == null) {
                configFile = Path.of(arg);
            } else if (arg.equals("--override") && valueFollows) {
                overrides.add(args[++i]);
            } else if (arg.equals("--stop-after-start")) {
                stopAfterStart = true;
            } else {
                return false;
            }
        }
        return true;
    }

    /** Runs the command {@link #parsePlain} took, reporting a failure as picocli's handler would. */
    int runPlain(PrintWriter out, PrintWriter err) {
        try {
            return run(out);
        } catch (Exception e) {
            return ErrorReporter.report(e, err);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (configFileArgument != null) {
            if (configFile != null) {
                throw new ParameterException(spec.commandLine(), "Give the configuration file once: "
                        + configFileArgument + " or --config " + configFile);
            }
            configFile = configFileArgument;
        }
        return run(spec.commandLine().getOut());
    }

    private int run(PrintWriter out) throws InterruptedException {
        long startNanos = System.nanoTime();
        BrokerConfig config = BrokerConfig.parse(ServerProperties.load(Optional.ofNullable(configFile), overrides));
        loggingReady.run();
        Logger log = LoggerFactory.getLogger(ServerCommand.class);
        config.warnings().forEach(log::warn);

        StopSignal stopSignal = stopAfterStart ? () -> { } : stopSignals.get();
        BrokerLauncher.RunningBroker broker;
        try {
            broker = launcher.start(config);
        } catch (ConfigException e) {
            // a setting found wrong only when used (an SSL listener's key store): a configuration error
            throw e;
        } catch (RuntimeException e) {
            throw new CliException("Gregor failed to start: " + ErrorReporter.message(ErrorReporter.unwrap(e)), e);
        }
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                broker.shutdown();
            }
        };
        Thread hook = new Thread(stop, "gregor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // A node that finds it must not go on (its quorum disagrees with it) exits with an error;
        // the shutdown hook closes it. From a thread of its own: exit waits for the hook.
        broker.fatalError().thenAccept(failure -> {
            Thread exit = new Thread(() -> {
                log.error("Gregor stops: {}", failure.getMessage());
                System.exit(ExitCode.FAILURE);
            }, "gregor-fatal-exit");
            exit.start();
        });

        long startMillis = (System.nanoTime() - startNanos) / 1_000_000;
        out.println(startLine(config, broker, startMillis));
        out.flush();

        if (stopAfterStart) {
            askOnce(config, broker);
        }
        stopSignal.await();
        out.println("Stopping Gregor...");
        out.flush();
        stop.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to undo
        }
        out.println("Gregor stopped cleanly");
        out.flush();
        return ExitCode.OK;
    }

    /**
     * Sends this broker one ApiVersions request, the first request of every Kafka client, so that
     * the class-data archive also holds the classes of a request's way through the broker
     * (decoding, the handler, the response): without them the first client waited for them to be
     * read from the jar and verified, as long as the rest of the start from the archive took.
     */
    private static void askOnce(BrokerConfig config, BrokerLauncher.RunningBroker broker) {
        Optional<Listener> clients = config.listeners().stream()
                .filter(l -> config.isBroker() && !config.controllerListenerNames().contains(l.name()))
                .findFirst();
        if (clients.isEmpty()) {
            return; // a controller-only node has no listener for clients
        }
        Listener listener = clients.get();
        String host = listener.host().isEmpty() || listener.host().equals("0.0.0.0") || listener.host().equals("::")
                ? "127.0.0.1" : listener.host();
        try {
            ApiVersionsProbe.ask(host, broker.boundPort(listener.name()), ASK_TIMEOUT_MS);
        } catch (IOException e) {
            LoggerFactory.getLogger(ServerCommand.class).warn("Could not send ApiVersions to {}:{}: {}", host,
                    broker.boundPort(listener.name()), e.toString());
        }
    }

    /** "Gregor 0.1.0 started in 85 ms: PLAINTEXT://localhost:9092, node 1, data in ./gregor-data". */
    static String startLine(BrokerConfig config, BrokerLauncher.RunningBroker broker, long startMillis) {
        String listeners = config.listeners().stream()
                .map(l -> new Listener(l.name(), l.host(), broker.boundPort(l.name())).toString())
                .collect(Collectors.joining(", "));
        String dirs = config.logDirs().stream().map(Path::toString).collect(Collectors.joining(", "));
        return "Gregor " + GregorVersion.version() + " started in " + startMillis + " ms: " + listeners
                + ", node " + config.nodeId() + ", data in " + dirs;
    }
}
