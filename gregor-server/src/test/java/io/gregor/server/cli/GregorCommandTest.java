package io.gregor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class GregorCommandTest {

    static List<String> allCommands() {
        List<String> paths = new ArrayList<>();
        collect(GregorCommand.commandLine(), "", paths);
        return paths;
    }

    private static void collect(CommandLine cmd, String prefix, List<String> paths) {
        paths.add(prefix.trim());
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName())) {
                return; // an alias of a command already listed
            }
            collect(sub, prefix + " " + name, paths);
        });
    }

    @ParameterizedTest
    @MethodSource("allCommands")
    void helpWorksForEveryCommand(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");

        CliRun run = CliRun.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: gregor" + (command.isEmpty() ? "" : " " + command));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void everyIssueThreeCommandExists() {
        assertThat(allCommands()).contains("server", "topic create", "topic list", "topic describe", "topic alter",
                "topic delete", "topic add-partitions", "produce", "consume", "cluster describe", "generate-completion", "group list", "group describe", "group delete",
                "user list", "user set-scram", "user delete-scram", "acl list", "acl add", "acl remove", "token create",
                "token renew", "token expire", "token describe");
    }

    @Test
    void versionNamesGregor() {
        CliRun run = CliRun.run("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Gregor ");
    }

    @Test
    void missingCommandIsBadUsage() {
        CliRun run = CliRun.run();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).startsWith("Error: Missing command");
    }

    @Test
    void unknownOptionIsBadUsageInOneLine() {
        CliRun run = CliRun.run("topic", "list", "--colour");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("--colour").contains("gregor topic list --help");
    }

    @Test
    void mistypedCommandSuggestsTheRightOne() {
        CliRun run = CliRun.run("topik", "list");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("'topik'").contains("did you mean topic");
    }

    @Test
    void missingTopicNameIsBadUsage() {
        CliRun run = CliRun.run("topic", "create");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("TOPIC");
    }

    @Test
    void invalidPartitionCountIsBadUsageBeforeAnyConnection() {
        CliRun run = CliRun.run("topic", "create", "orders", "--partitions", "0", "--bootstrap-server", closedPort());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).isEqualTo("Error: Invalid partition count 0: a topic needs at least 1 partition");
    }

    @Test
    void malformedTimestampIsBadUsageNamingWhatWouldWork() {
        CliRun run = CliRun.run("consume", "orders", "--from", "yesterday-ish");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("'yesterday-ish'").contains("ISO-8601").contains("-15m");
    }

    @Test
    void unknownFormatPlaceholderIsBadUsage() {
        CliRun run = CliRun.run("consume", "orders", "--format", "{vaule}", "--bootstrap-server", closedPort());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("{vaule}").contains("{value}");
    }

    @Test
    void unknownScramMechanismIsBadUsageNamingTheKnownOnes() {
        CliRun run = CliRun.run("user", "delete-scram", "alice", "--mechanism", "SCRAM-MD5", "--bootstrap-server",
                closedPort());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("'SCRAM-MD5'").contains("SCRAM-SHA-256 or SCRAM-SHA-512");
    }

    @Test
    void unknownAclOperationIsBadUsageNamingTheKnownOnes() {
        CliRun run = CliRun.run("acl", "add", "--allow", "--principal", "User:alice", "--operation", "READ,PEEK",
                "--topic", "orders", "--bootstrap-server", closedPort());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("'PEEK' is not an ACL operation").contains("DESCRIBE_CONFIGS");
    }

    @Test
    void aclAddNeedsExactlyOneResource() {
        CliRun run = CliRun.run("acl", "add", "--allow", "--principal", "User:alice", "--operation", "READ",
                "--topic", "orders", "--group", "billing", "--bootstrap-server", closedPort());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLine()).contains("mutually exclusive");
    }

    @ParameterizedTest
    @MethodSource("clientCommands")
    void noBrokerAtTheAddressFailsQuicklyWithOneLine(String command) {
        String address = closedPort();
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--bootstrap-server", address));

        long start = System.nanoTime();
        CliRun run = CliRun.run(args.toArray(String[]::new));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLine()).startsWith("Error: No broker reachable at " + address).contains("--bootstrap-server");
        assertThat(run.out()).isEmpty();
    }

    static List<String> clientCommands() {
        return List.of("topic list", "topic create orders", "topic describe orders", "topic delete orders",
                "topic alter orders --config retention.ms=1", "topic add-partitions orders --partitions 2",
                "consume orders", "cluster describe", "produce orders --file pom.xml", "group list",
                "group describe billing", "group delete billing", "user list",
                "user set-scram alice --mechanism SCRAM-SHA-256 --password-file pom.xml",
                "user delete-scram alice --mechanism SCRAM-SHA-512", "acl list",
                "acl add --allow --principal User:alice --operation READ --topic orders",
                "acl remove --topic orders", "token create --renewer User:bob", "token renew aGVsbG8=",
                "token expire aGVsbG8=", "token describe --owner User:alice");
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun run = CliRun.run("topic", "list", "--bootstrap-server", closedPort(), "--verbose");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("No broker reachable").contains("\tat io.gregor.server.cli.");
    }

    @Test
    void completionScriptIsGenerated() {
        CliRun run = CliRun.run("generate-completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete").contains("gregor");
    }

    /** A loopback address where nothing listens: bound to a free port, then closed. */
    static String closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
