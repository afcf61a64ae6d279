package io.gregor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReassignmentPlanTest {
    @TempDir
    Path dir;

    @Test
    void readsKafkasPlanFormatAndWritesItBack() throws Exception {
        String json = """
                {"version":1,
                 "partitions":[{"topic":"orders","partition":1,"replicas":[3,1],"log_dirs":["any","any"]},
                               {"topic":"orders","partition":0,"replicas":[2,3]}]}
                """;

        ReassignmentPlan plan = ReassignmentPlan.parse(json);

        assertThat(plan.partitions()).containsExactly(
                Map.entry(new TopicPartition("orders", 1), List.of(3, 1)),
                Map.entry(new TopicPartition("orders", 0), List.of(2, 3)));
        assertThat(plan.toJson()).isEqualTo("{\"version\":1,\"partitions\":["
                + "{\"topic\":\"orders\",\"partition\":0,\"replicas\":[2,3],\"log_dirs\":[\"any\",\"any\"]},"
                + "{\"topic\":\"orders\",\"partition\":1,\"replicas\":[3,1],\"log_dirs\":[\"any\",\"any\"]}]}");
        assertThat(ReassignmentPlan.parse(plan.toJson())).isEqualTo(plan);
    }

    @Test
    void readsTheTopicsToMove() throws Exception {
        assertThat(ReassignmentPlan.parseTopicsToMove("{\"topics\":[{\"topic\":\"a\"},{\"topic\":\"b\"},{\"topic\":\"a\"}],"
                + "\"version\":1}")).containsExactly("a", "b");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        assertThatThrownBy(() -> ReassignmentPlan.parse("{\"version\":1,\n \"partitions\":[{\"topic\":\"t\",}]}"))
                .hasMessage("not JSON: line 2, column 29: unexpected '}', expected a member name in quotes");
        assertThatThrownBy(() -> ReassignmentPlan.parse("{\"partitions\":[]"))
                .hasMessageContaining("line 1, column 17: unexpected end of input, expected ',' or '}'");
        assertThatThrownBy(() -> ReassignmentPlan.parse("{\"partitions\":[{\"partition\":01}]}"))
                .hasMessageContaining("invalid number 01");
    }

    @Test
    void aPlanOfTheWrongShapeSaysWhichEntryIsWrong() {
        assertThatThrownBy(() -> ReassignmentPlan.parse("{\"version\":1}")).hasMessage("\"partitions\" is missing");
        assertThatThrownBy(() -> ReassignmentPlan.parse("{\"version\":2,\"partitions\":[]}"))
                .hasMessageContaining("unsupported \"version\" 2");
        assertThatThrownBy(() -> ReassignmentPlan.parse(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1]},{\"topic\":\"t\",\"partition\":-1,"
                        + "\"replicas\":[1]}]}"))
                .hasMessage("partitions[1].partition must be a whole number >= 0, not -1");
        assertThatThrownBy(() -> ReassignmentPlan.parse(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1,\"2\"]}]}"))
                .hasMessage("partitions[0].replicas must be a whole number >= 0, not 2");
        assertThatThrownBy(() -> ReassignmentPlan.parse("{\"partitions\":[]}")).hasMessage("the plan has no partitions");
    }

    @Test
    void refusesWhatNoClusterCouldDo() {
        assertThatThrownBy(() -> ReassignmentPlan.parse(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1,2,1]}]}"))
                .hasMessage("partitions[0] (t-0) names a broker twice: [1, 2, 1]");
        assertThatThrownBy(() -> ReassignmentPlan.parse("{\"partitions\":[{\"topic\":\"t\",\"partition\":0,"
                + "\"replicas\":[1]},{\"topic\":\"t\",\"partition\":0,\"replicas\":[2]}]}"))
                .hasMessage("partitions[1]: partition t-0 appears more than once");
        assertThatThrownBy(() -> ReassignmentPlan.parse("{\"partitions\":[{\"topic\":\"t\",\"partition\":0,"
                + "\"replicas\":[1,2],\"log_dirs\":[\"any\"]}]}"))
                .hasMessage("partitions[0] (t-0) has 1 log_dirs for 2 replicas");
        assertThatThrownBy(() -> ReassignmentPlan.parse("{\"partitions\":[{\"topic\":\"t\",\"partition\":0,"
                + "\"replicas\":[1],\"log_dirs\":[\"/data/1\"]}]}"))
                .hasMessageContaining("names log directory /data/1");
    }

    @Test
    void aBadFileIsAUsageErrorNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("plan.json"), "{\"version\":1,\"partitions\":[}");

        assertThatThrownBy(() -> ReassignmentPlanActions.readPlan(file)).isInstanceOf(UsageException.class)
                .hasMessage("Invalid reassignment plan " + file + ": not JSON: line 1, column 28: unexpected '}', "
                        + "expected a value");
        assertThatThrownBy(() -> ReassignmentPlanActions.readPlan(dir.resolve("missing.json")))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("No such file: ");
    }

    @Test
    void proposalKeepsReplicationFactorsAndSpreadsLeadersAcrossTopics() {
        Map<TopicPartition, List<Integer>> current = new LinkedHashMap<>();
        current.put(new TopicPartition("b", 0), List.of(1));
        current.put(new TopicPartition("a", 0), List.of(1, 2));
        current.put(new TopicPartition("a", 1), List.of(2, 1));
        Map<Integer, Optional<String>> brokers = Map.of(2, Optional.empty(), 3, Optional.empty(), 4, Optional.empty());

        ReassignmentPlan proposal = ReassignmentProposal.propose(current, brokers);

        assertThat(proposal.partitions()).containsExactly(
                Map.entry(new TopicPartition("a", 0), List.of(2, 3)),
                Map.entry(new TopicPartition("a", 1), List.of(3, 4)),
                Map.entry(new TopicPartition("b", 0), List.of(4)));
    }

    @Test
    void proposalPutsEachPartitionsReplicasOnDifferentRacks() {
        Map<TopicPartition, List<Integer>> current = new LinkedHashMap<>();
        for (int p = 0; p < 6; p++) {
            current.put(new TopicPartition("t", p), List.of(1, 2));
        }
        Map<Integer, Optional<String>> brokers = Map.of(1, Optional.of("r1"), 2, Optional.of("r1"),
                3, Optional.of("r2"), 4, Optional.of("r2"));

        ReassignmentPlan proposal = ReassignmentProposal.propose(current, brokers);

        proposal.partitions().values().forEach(replicas -> assertThat(replicas.stream()
                .map(id -> id <= 2 ? "r1" : "r2").distinct()).as("racks of %s", replicas).hasSize(2));
    }

    @Test
    void proposalNeedsAsManyBrokersAsReplicas() {
        assertThatThrownBy(() -> ReassignmentProposal.propose(Map.of(new TopicPartition("t", 0), List.of(1, 2, 3)),
                Map.of(1, Optional.empty(), 2, Optional.empty())))
                .isInstanceOf(CliException.class)
                .hasMessage("Topic t has 3 replicas per partition, more than the 2 brokers of --broker-list");
    }

    @Test
    void throttlesListSendersAndReceiversOfMovingPartitionsOnly() throws Exception {
        Map<TopicPartition, List<Integer>> current = Map.of(
                new TopicPartition("t", 0), List.of(1, 2),
                new TopicPartition("t", 1), List.of(2, 1),
                new TopicPartition("u", 0), List.of(3));
        ReassignmentPlan plan = ReassignmentPlan.parse("{\"partitions\":["
                + "{\"topic\":\"t\",\"partition\":0,\"replicas\":[2,4]},"
                + "{\"topic\":\"t\",\"partition\":1,\"replicas\":[1,2]},"
                + "{\"topic\":\"u\",\"partition\":0,\"replicas\":[5]}]}");

        ReassignmentThrottles throttles = ReassignmentThrottles.of(current, plan);

        assertThat(throttles.leaderReplicas()).containsExactly(Map.entry("t", "0:1,0:2"), Map.entry("u", "0:3"));
        assertThat(throttles.followerReplicas()).containsExactly(Map.entry("t", "0:4"), Map.entry("u", "0:5"));
        assertThat(throttles.brokers()).as("t-1 only changes its preferred leader").containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void planOptionsThatCannotWorkAreUsageErrorsBeforeAnyConnection() throws Exception {
        String closed = GregorCommandTest.closedPort();
        Path plan = Files.writeString(dir.resolve("ok.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1]}]}");

        assertUsage("--generate needs --topics-to-move-json-file and --broker-list",
                "topic", "reassign", "--generate", "--broker-list", "1,2", "--bootstrap-server", closed);
        assertUsage("--throttle goes with --execute", "topic", "reassign", "--verify", "--reassignment-json-file",
                plan.toString(), "--throttle", "100", "--bootstrap-server", closed);
        assertUsage("Give only one of --list, --generate, --execute and --verify", "topic", "reassign", "--execute",
                "--verify", "--reassignment-json-file", plan.toString(), "--bootstrap-server", closed);
        assertUsage("A plan file names its partitions: no TOPIC, --partition or --replicas", "topic", "reassign",
                "t", "--execute", "--reassignment-json-file", plan.toString(), "--bootstrap-server", closed);
        assertUsage("No such file: " + dir.resolve("missing.json"), "topic", "reassign", "--execute",
                "--reassignment-json-file", dir.resolve("missing.json").toString(), "--bootstrap-server", closed);
    }

    private static void assertUsage(String message, String... args) {
        CliRun run = CliRun.run(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLine()).isEqualTo("Error: " + message);
    }
}
