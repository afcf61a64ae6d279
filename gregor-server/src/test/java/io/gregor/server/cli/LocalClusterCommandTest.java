package io.gregor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.broker.config.BrokerConfig;
import io.gregor.broker.config.Listener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LocalClusterCommandTest {
    private final List<BrokerConfig> started = new ArrayList<>();
    private final AtomicInteger shutdowns = new AtomicInteger();

    private final BrokerLauncher fakeLauncher = config -> {
        started.add(config);
        return new BrokerLauncher.RunningBroker() {
            @Override
            public int boundPort(String listenerName) {
                return config.listeners().get(0).port();
            }

            @Override
            public void shutdown() {
                shutdowns.incrementAndGet();
            }
        };
    };

    private CliRun localCluster(String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == LocalClusterCommand.class) {
                    return type.cast(new LocalClusterCommand(fakeLauncher, () -> () -> { }));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        List<String> all = new ArrayList<>(List.of("local-cluster"));
        all.addAll(List.of(args));
        return CliRun.run(GregorCommand.commandLine(factory), all.toArray(String[]::new));
    }

    @Test
    void startsNNodesOfOneQuorumOnConsecutivePortsAndStopsThemAll() {
        CliRun run = localCluster("3", "--data-dir", "/tmp/lc", "--override", "default.replication.factor=3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(started).hasSize(3);
        for (int i = 0; i < 3; i++) {
            BrokerConfig config = started.get(i);
            assertThat(config.nodeId()).isEqualTo(i + 1);
            assertThat(config.clusterMode()).isTrue();
            assertThat(config.controllerQuorumVoters()).hasToString(
                    "[1@localhost:19092, 2@localhost:19093, 3@localhost:19094]");
            assertThat(config.listeners()).extracting(Listener::toString).containsExactly(
                    "PLAINTEXT://localhost:" + (9092 + i), "CONTROLLER://localhost:" + (19092 + i));
            assertThat(config.logDirs()).containsExactly(Path.of("/tmp/lc/node-" + (i + 1)));
            assertThat(config.defaultReplicationFactor()).isEqualTo((short) 3);
        }
        assertThat(run.out()).contains("bootstrap servers localhost:9092,localhost:9093,localhost:9094")
                .contains("Gregor local cluster stopped cleanly");
        assertThat(shutdowns).hasValue(3);
    }

    @Test
    void withSeparateControllersTheControllersStartFirstAndAreTheOnlyVoters() {
        CliRun run = localCluster("2", "--controllers", "3", "--data-dir", "/tmp/lc");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(started).extracting(BrokerConfig::nodeId).containsExactly(3, 4, 5, 1, 2);
        for (BrokerConfig config : started) {
            int id = config.nodeId();
            assertThat(config.controllerQuorumVoters()).hasToString(
                    "[3@localhost:19094, 4@localhost:19095, 5@localhost:19096]");
            assertThat(config.isBroker()).isEqualTo(id <= 2);
            assertThat(config.isController()).isEqualTo(id > 2);
            assertThat(config.listeners()).extracting(Listener::toString).containsExactlyElementsOf(id <= 2
                    ? List.of("PLAINTEXT://localhost:" + (9091 + id), "CONTROLLER://localhost:" + (19091 + id))
                    : List.of("CONTROLLER://localhost:" + (19091 + id)));
        }
        assertThat(run.out()).contains("local cluster of 2 brokers and 3 controllers")
                .contains("bootstrap servers localhost:9092,localhost:9093");
        assertThat(shutdowns).hasValue(5);
    }

    @Test
    void aClusterSizeOutOfRangeIsBadUsage() {
        CliRun run = localCluster("0");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(started).isEmpty();
    }
}
