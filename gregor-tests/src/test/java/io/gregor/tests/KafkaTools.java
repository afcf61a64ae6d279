package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one of Apache Kafka 4.1.1's command-line tools as its bin/*.sh script does: a separate
 * {@code java} process with the script's main class (the test classpath holds kafka-tools and
 * the Scala core jar), pointed at a Gregor cluster with {@code --bootstrap-server}.
 */
final class KafkaTools {
    /** The main class each 4.1.1 script runs; kafka-configs.sh is still the Scala core's. */
    private static final Map<String, String> MAIN_CLASSES = Map.ofEntries(
            Map.entry("kafka-topics", "org.apache.kafka.tools.TopicCommand"),
            Map.entry("kafka-configs", "kafka.admin.ConfigCommand"),
            Map.entry("kafka-consumer-groups", "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"),
            Map.entry("kafka-acls", "org.apache.kafka.tools.AclCommand"),
            Map.entry("kafka-delegation-tokens", "org.apache.kafka.tools.DelegationTokenCommand"),
            Map.entry("kafka-log-dirs", "org.apache.kafka.tools.LogDirsCommand"),
            Map.entry("kafka-delete-records", "org.apache.kafka.tools.DeleteRecordsCommand"),
            Map.entry("kafka-get-offsets", "org.apache.kafka.tools.GetOffsetShell"),
            Map.entry("kafka-metadata-quorum", "org.apache.kafka.tools.MetadataQuorumCommand"),
            Map.entry("kafka-transactions", "org.apache.kafka.tools.TransactionsCommand"),
            Map.entry("kafka-features", "org.apache.kafka.tools.FeatureCommand"),
            Map.entry("kafka-cluster", "org.apache.kafka.tools.ClusterTool"),
            Map.entry("kafka-broker-api-versions", "org.apache.kafka.tools.BrokerApiVersionsCommand"),
            Map.entry("kafka-console-producer", "org.apache.kafka.tools.ConsoleProducer"),
            Map.entry("kafka-console-consumer", "org.apache.kafka.tools.consumer.ConsoleConsumer"),
            Map.entry("kafka-leader-election", "org.apache.kafka.tools.LeaderElectionCommand"),
            Map.entry("kafka-reassign-partitions", "org.apache.kafka.tools.reassign.ReassignPartitionsCommand"));
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private KafkaTools() {
    }

    /**
     * Runs {@code script} against {@code bootstrap} (given first, as {@code --bootstrap-server}),
     * checks that it exited 0 and returns what it printed on stdout.
     */
    static String stdout(Path workingDir, String bootstrap, String script, String... args) {
        List<String> withBootstrap = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
        withBootstrap.addAll(List.of(args));
        ChildProcess.Result result = run(workingDir, "", script, withBootstrap.toArray(String[]::new));
        assertThat(result.exitCode()).as(script + " " + String.join(" ", args) + "\n" + result).isZero();
        return result.stdout();
    }

    /** The non-blank lines of a tool's table, each split into its columns. */
    static List<List<String>> rows(String table) {
        return table.lines().filter(line -> !line.isBlank())
                .map(line -> List.of(line.trim().split("\\s+")))
                .toList();
    }

    /**
     * Runs {@code script} (its name without {@code .sh}) with {@code args} in {@code workingDir}
     * (where relative file arguments are read), {@code stdin} as its input.
     */
    static ChildProcess.Result run(Path workingDir, String stdin, String script, String... args) {
        String mainClass = MAIN_CLASSES.get(script);
        if (mainClass == null) {
            throw new IllegalArgumentException("no main class known for " + script);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // short-lived commands: start fast rather than optimise for the long run
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=kafka-tools-logback.xml",
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        try {
            return ChildProcess.run(workingDir, stdin, TIMEOUT, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
