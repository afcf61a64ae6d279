package io.gregor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.HandlerRegistry;
import io.gregor.broker.api.RequestContext;
import io.gregor.broker.api.meta.ApiVersionsHandler;
import io.gregor.broker.api.meta.FinalizedFeatures;
import io.gregor.broker.api.meta.SupportedFeature;
import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.network.SocketServer;
import io.gregor.broker.network.SocketServerConfig;
import io.gregor.protocol.message.ApiVersionsRequest;
import io.gregor.protocol.message.ApiVersionsResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {
    @TempDir
    Path dir;

    private final List<BrokerConfig> started = new ArrayList<>();
    private final AtomicInteger shutdowns = new AtomicInteger();

    private final BrokerLauncher fakeLauncher = config -> {
        started.add(config);
        return new BrokerLauncher.RunningBroker() {
            @Override
            public int boundPort(String listenerName) {
                return config.listeners().get(0).port() == 0 ? 40123 : config.listeners().get(0).port();
            }

            @Override
            public void shutdown() {
                shutdowns.incrementAndGet();
            }
        };
    };

    private CliRun server(BrokerLauncher launcher, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ServerCommand.class) {
                    return type.cast(new ServerCommand(launcher, () -> () -> { }));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        List<String> all = new ArrayList<>(List.of("server"));
        all.addAll(List.of(args));
        String[] argv = all.toArray(String[]::new);
        return CliRun.run(GregorCommand.commandLineFor(argv, factory), argv);
    }

    @Test
    void serverCommandLineIsTheFullOnesServerCommand() {
        CliRun alone = CliRun.run(GregorCommand.commandLineFor(new String[] {"server"}, CommandLine.defaultFactory()),
                "server", "--help");
        CliRun inTree = CliRun.run("server", "--help");

        assertThat(alone.exitCode()).isZero();
        assertThat(alone.out()).isEqualTo(inTree.out()).contains("Usage: gregor server").contains("--verbose");
    }

    @Test
    void plainArgumentsAreParsedWithoutPicocliAndRunTheSameBroker() throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "num.partitions=4\nlog.dirs=" + dir.resolve("data") + "\n");
        ServerCommand command = new ServerCommand(fakeLauncher, () -> () -> { });
        StringWriter out = new StringWriter();

        assertThat(command.parsePlain(new String[] {"server", "-c", file.toString(), "--override", "num.partitions=6",
                "--override", "listeners=PLAINTEXT://127.0.0.1:0"})).isTrue();
        int code = command.runPlain(new PrintWriter(out), new PrintWriter(new StringWriter()));

        assertThat(code).isZero();
        assertThat(started).singleElement().satisfies(config -> assertThat(config.numPartitions()).isEqualTo(6));
        assertThat(out.toString()).contains("PLAINTEXT://127.0.0.1:40123").endsWith("Gregor stopped cleanly"
                + System.lineSeparator());
    }

    @Test
    void theFileMayBeGivenAsKafkaServerStartTakesIt() throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "num.partitions=5\nlog.dirs=" + dir.resolve("data") + "\n");
        ServerCommand command = new ServerCommand(fakeLauncher, () -> () -> { });

        assertThat(command.parsePlain(new String[] {"server", file.toString(), "--override",
                "listeners=PLAINTEXT://127.0.0.1:0"})).isTrue();
        assertThat(command.runPlain(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())))
                .isZero();
        assertThat(started).singleElement().satisfies(config -> assertThat(config.numPartitions()).isEqualTo(5));
    }

    @Test
    void theFileGivenTwiceIsAUsageError() {
        CliRun run = server(fakeLauncher, "a.properties", "--config", "b.properties", "--verbose");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Give the configuration file once");
        assertThat(started).isEmpty();
    }

    @Test
    void anythingButPlainArgumentsIsLeftToPicocli() {
        for (String[] args : List.of(new String[] {"server", "--help"}, new String[] {"server", "--verbose"},
                new String[] {"server", "--config", "a", "--config", "b"}, new String[] {"server", "--override"},
                new String[] {"server", "--config", "--override", "a=b"}, new String[] {"server", "a", "b"},
                new String[] {"server", "a", "--config", "b"})) {
            assertThat(new ServerCommand(fakeLauncher, () -> () -> { }).parsePlain(args)).as(String.join(" ", args))
                    .isFalse();
        }
    }

    @Test
    void plainArgumentsWithABadValueFailInOneLineWithTheUsageExitCode() {
        StringWriter err = new StringWriter();
        ServerCommand command = new ServerCommand(fakeLauncher, () -> () -> { });

        assertThat(command.parsePlain(new String[] {"server", "--override", "num.partitions=zero"})).isTrue();
        int code = command.runPlain(new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString().strip()).startsWith("Error: ").contains("num.partitions").doesNotContain("\n");
        assertThat(started).isEmpty();
    }

    @Test
    void stopAfterStartStopsTheBrokerItStarted() {
        CliRun run = server(fakeLauncher, "--stop-after-start");

        assertThat(run.exitCode()).isZero();
        assertThat(started).hasSize(1);
        assertThat(shutdowns).hasValue(1);
        assertThat(run.out().lines()).last().isEqualTo("Gregor stopped cleanly");
    }

    @Test
    void stopAfterStartAsksTheBrokerForItsApiVersionsBeforeStopping() throws Exception {
        HandlerRegistry registry = new HandlerRegistry();
        ApiVersionsHandler apiVersions = new ApiVersionsHandler(registry, SupportedFeature.kraftBaseline(),
                () -> FinalizedFeatures.kraftBaseline(1, (short) 1, Map.of()));
        AtomicInteger asked = new AtomicInteger();
        registry.register(new ApiHandler<ApiVersionsRequest, ApiVersionsResponse>() {
            @Override
            public short apiKey() {
                return apiVersions.apiKey();
            }

            @Override
            public short minVersion() {
                return apiVersions.minVersion();
            }

            @Override
            public short maxVersion() {
                return apiVersions.maxVersion();
            }

            @Override
            public CompletableFuture<ApiVersionsResponse> handle(RequestContext context, ApiVersionsRequest request) {
                asked.incrementAndGet();
                return apiVersions.handle(context, request);
            }
        });
        try (SocketServer server = new SocketServer(SocketServerConfig.withDefaults(
                List.of(new SocketServerConfig.Listener("PLAINTEXT", "127.0.0.1", 0))), registry)) {
            server.start();
            BrokerLauncher launcher = config -> new BrokerLauncher.RunningBroker() {
                @Override
                public int boundPort(String listenerName) {
                    return server.boundPort("PLAINTEXT");
                }

                @Override
                public void shutdown() {
                    assertThat(asked).as("ApiVersions requests before the shutdown").hasValue(1);
                    shutdowns.incrementAndGet();
                }
            };

            CliRun run = server(launcher, "--stop-after-start", "--override", "listeners=PLAINTEXT://127.0.0.1:0");

            assertThat(run.exitCode()).isZero();
            assertThat(shutdowns).hasValue(1);
        }
    }

    @Test
    void withoutOptionsStartsTheZeroConfigurationBrokerAndPrintsOneLine() {
        CliRun run = server(fakeLauncher);

        assertThat(run.exitCode()).isZero();
        assertThat(started).singleElement().satisfies(config -> {
            assertThat(config.listeners().get(0)).hasToString("PLAINTEXT://localhost:9092");
            assertThat(config.logDirs()).containsExactly(Path.of("./gregor-data"));
        });
        assertThat(run.out().lines()).first().asString()
                .startsWith("Gregor ")
                .contains("PLAINTEXT://localhost:9092")
                .contains("data in ./gregor-data");
        assertThat(run.out().lines()).last().isEqualTo("Gregor stopped cleanly");
        assertThat(shutdowns).hasValue(1);
    }

    @Test
    void startLineShowsThePortActuallyBound() {
        CliRun run = server(fakeLauncher, "--override", "listeners=PLAINTEXT://127.0.0.1:0");
        assertThat(run.out()).contains("PLAINTEXT://127.0.0.1:40123");
    }

    @Test
    void configFileAndOverridesReachTheBroker() throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "num.partitions=4\nlog.dirs=" + dir.resolve("data") + "\n");

        CliRun run = server(fakeLauncher, "--config", file.toString(), "--override", "num.partitions=6");

        assertThat(run.exitCode()).isZero();
        assertThat(started.get(0).numPartitions()).isEqualTo(6);
        assertThat(started.get(0).logDirs()).containsExactly(dir.resolve("data"));
    }

    @Test
    void invalidValueIsBadUsageNamingKeyAndValueWithoutStarting() {
        CliRun run = server(fakeLauncher, "--override", "num.partitions=lots");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).isEqualTo(
                "Error: Invalid value lots for configuration num.partitions: Not a number of type INT");
        assertThat(started).isEmpty();
    }

    @Test
    void missingConfigFileIsBadUsage() {
        CliRun run = server(fakeLauncher, "--config", dir.resolve("missing.properties").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("missing.properties").contains("does not exist");
    }

    @Test
    void brokerThatCannotStartIsAFailureInOneLine() {
        BrokerLauncher failing = config -> {
            throw new IllegalStateException("Address already in use: localhost:9092");
        };

        CliRun run = server(failing);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLine()).isEqualTo("Error: Gregor failed to start: Address already in use: localhost:9092");
    }
}
