package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.testkit.GregorCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka 4.1.1's tools that only mean something with several brokers, against a cluster of
 * three Gregor nodes (each broker and controller): kafka-reassign-partitions.sh,
 * kafka-leader-election.sh and kafka-metadata-quorum.sh. Run as separate processes like
 * {@link KafkaToolsTest}.
 */
class KafkaToolsClusterTest {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tempDir;
    @TempDir
    static Path workDir;
    static GregorCluster cluster;
    static Admin admin;

    @BeforeAll
    static void startCluster() {
        cluster = GregorCluster.start(tempDir, 3, Map.of("broker.heartbeat.interval.ms", "500",
                // the test moves leaders itself and checks where they are
                "auto.leader.rebalance.enable", "false"));
        admin = Clients.admin(cluster.bootstrapServers());
        await("three brokers registered").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> admin.describeCluster().nodes().get().size() == 3);
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void partitionsAreReassignedAndTheirPreferredLeadersElectedWithKafkasTools() throws Exception {
        assertThat(tool("kafka-topics", "--create", "--topic", "moving", "--replica-assignment", "1:2,2:3"))
                .contains("Created topic moving.");
        await("both partitions fully in sync").atMost(CLUSTER_TIMEOUT).ignoreExceptions().until(() ->
                admin.describeTopics(List.of("moving")).allTopicNames().get().get("moving").partitions().stream()
                        .allMatch(partition -> partition.isr().size() == 2));
        try (KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("moving", i % 2, "key-" + i, "value-" + i));
            }
            producer.flush();
        }

        Files.writeString(workDir.resolve("topics.json"), "{\"version\":1,\"topics\":[{\"topic\":\"moving\"}]}");
        String generated = tool("kafka-reassign-partitions", "--generate", "--topics-to-move-json-file",
                "topics.json", "--broker-list", "1,2,3");
        assertThat(generated).contains("Current partition replica assignment")
                .contains("{\"topic\":\"moving\",\"partition\":0,\"replicas\":[1,2]")
                .contains("{\"topic\":\"moving\",\"partition\":1,\"replicas\":[2,3]")
                .contains("Proposed partition reassignment configuration");

        // Partition 0 leaves broker 1, its leader; partition 1 keeps its replicas, broker 3 first.
        Files.writeString(workDir.resolve("plan.json"), "{\"version\":1,\"partitions\":["
                + "{\"topic\":\"moving\",\"partition\":0,\"replicas\":[2,3]},"
                + "{\"topic\":\"moving\",\"partition\":1,\"replicas\":[3,2]}]}");
        assertThat(tool("kafka-reassign-partitions", "--execute", "--reassignment-json-file", "plan.json"))
                .contains("Successfully started partition reassignments for moving-0,moving-1");
        await("the reassignments complete").atMost(CLUSTER_TIMEOUT).ignoreExceptions()
                .until(() -> admin.listPartitionReassignments().reassignments().get().isEmpty());
        assertThat(tool("kafka-reassign-partitions", "--verify", "--reassignment-json-file", "plan.json"))
                .contains("Reassignment of partition moving-0 is completed.")
                .contains("Reassignment of partition moving-1 is completed.");
        assertThat(tool("kafka-reassign-partitions", "--list")).contains("No partition reassignments found.");

        await("the new assignment in the metadata").atMost(CLUSTER_TIMEOUT)
                .untilAsserted(() -> assertThat(partitionLines())
                        .anySatisfy(line -> assertThat(line).contains("Partition: 0\tLeader: 2\tReplicas: 2,3"))
                        .anySatisfy(line -> assertThat(line).contains("Partition: 1\tLeader: 2\tReplicas: 3,2")));

        assertThat(tool("kafka-leader-election", "--election-type", "preferred", "--all-topic-partitions"))
                .contains("Successfully completed leader election (PREFERRED) for partitions moving-1")
                .doesNotContain("Error");
        await("the preferred leader in the metadata").atMost(CLUSTER_TIMEOUT)
                .untilAsserted(() -> assertThat(partitionLines())
                        .anySatisfy(line -> assertThat(line).contains("Partition: 1\tLeader: 3\tReplicas: 3,2")));
        assertThat(tool("kafka-leader-election", "--election-type", "preferred", "--topic", "moving",
                "--partition", "1"))
                .contains("Valid replica already elected for partitions moving-1");

        // the records came along
        assertThat(tool("kafka-get-offsets", "--topic", "moving").lines())
                .containsExactly("moving:0:25", "moving:1:25");
    }

    @Test
    void kafkaMetadataQuorumDescribesTheThreeVoters() throws Exception {
        int leader = admin.describeMetadataQuorum().quorumInfo().get().leaderId();
        String status = tool("kafka-metadata-quorum", "describe", "--status");
        assertThat(status).contains("ClusterId:              " + admin.describeCluster().clusterId().get())
                .contains("LeaderId:               " + leader)
                .containsPattern("CurrentVoters:          \\[\\{\"id\": 1, \"endpoints\": "
                        + "\\[\"CONTROLLER://127.0.0.1:\\d+\"\\]\\}, \\{\"id\": 2, .*\\{\"id\": 3, ")
                .contains("CurrentObservers:       []");

        // Asked from any broker, the leader answers (forwarded), and an idle quorum's followers
        // have everything: the same log end offset, no lag, heard from recently.
        await("every follower caught up").atMost(CLUSTER_TIMEOUT).untilAsserted(() -> {
            List<List<String>> replication = KafkaTools.rows(tool("kafka-metadata-quorum", "describe", "--replication"));
            assertThat(replication.get(0)).containsExactly("NodeId", "DirectoryId", "LogEndOffset", "Lag",
                    "LastFetchTimestamp", "LastCaughtUpTimestamp", "Status");
            List<List<String>> voters = replication.subList(1, replication.size());
            assertThat(voters).extracting(row -> row.get(0) + " " + row.get(6))
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 3)
                            .mapToObj(id -> id + (id == leader ? " Leader" : " Follower")).toList());
            assertThat(voters).extracting(row -> row.get(2)).containsOnly(voters.get(0).get(2))
                    .allSatisfy(logEndOffset -> assertThat(Long.parseLong(logEndOffset)).isPositive());
            assertThat(voters).allSatisfy(row -> {
                assertThat(row.get(3)).as("lag").isEqualTo("0");
                assertThat(Long.parseLong(row.get(4))).as("last fetch").isPositive();
                assertThat(Long.parseLong(row.get(5))).as("last caught up").isPositive();
            });
        });
    }

    private static String tool(String script, String... args) {
        return KafkaTools.stdout(workDir, cluster.bootstrapServers(), script, args);
    }

    private static List<String> partitionLines() {
        return tool("kafka-topics", "--describe", "--topic", "moving").lines()
                .filter(line -> line.contains("Partition: ")).toList();
    }
}
