package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka 4.1.1's own command-line tools (kafka-topics.sh, kafka-configs.sh,
 * kafka-consumer-groups.sh ...) against one Gregor broker, each run as its script runs it, as a
 * separate process ({@link KafkaTools}); the tests assert on what the tools print for their user.
 * The broker has Kafka's StandardAuthorizer on, so that kafka-acls.sh manages ACLs that are
 * enforced; the tools connect over PLAINTEXT as {@code User:ANONYMOUS}, the super user here.
 * Each test uses its own topics and groups.
 */
class KafkaToolsTest {
    @TempDir
    static Path dataDir;
    @TempDir
    static Path workDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:ANONYMOUS",
                // a group's consumer joins alone: it need not wait for others to come
                "group.initial.rebalance.delay.ms", "0"));
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void kafkaTopicsCreatesListsDescribesAltersAndDeletesATopic() throws Exception {
        assertThat(tool("kafka-topics", "--create", "--topic", "tools-topic", "--partitions", "3",
                "--replication-factor", "1", "--config", "retention.ms=86400000"))
                .contains("Created topic tools-topic.");
        assertThat(tool("kafka-topics", "--list").lines()).contains("tools-topic");

        List<String> described = tool("kafka-topics", "--describe", "--topic", "tools-topic").lines().toList();
        assertThat(described.get(0)).startsWith("Topic: tools-topic\tTopicId: ")
                .contains("PartitionCount: 3\tReplicationFactor: 1\tConfigs: retention.ms=86400000");
        assertThat(described.subList(1, described.size()))
                .hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("Leader: 1\tReplicas: 1\tIsr: 1"));

        tool("kafka-topics", "--alter", "--topic", "tools-topic", "--partitions", "5");
        assertThat(tool("kafka-topics", "--describe", "--topic", "tools-topic"))
                .contains("PartitionCount: 5").contains("Partition: 4\tLeader: 1");

        tool("kafka-topics", "--delete", "--topic", "tools-topic");
        assertThat(tool("kafka-topics", "--list").lines()).doesNotContain("tools-topic");
    }

    @Test
    void kafkaConfigsDescribesAddsAndDeletesTopicAndBrokerConfigs() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("tools-configs", 1, (short) 1)));

        assertThat(tool("kafka-configs", "--alter", "--entity-type", "topics", "--entity-name", "tools-configs",
                "--add-config", "retention.ms=3600000,cleanup.policy=compact"))
                .contains("Completed updating config for topic tools-configs.");
        assertThat(tool("kafka-configs", "--describe", "--entity-type", "topics", "--entity-name", "tools-configs"))
                .contains("Dynamic configs for topic tools-configs are:")
                .contains("retention.ms=3600000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=3600000")
                .contains("cleanup.policy=compact sensitive=false");
        tool("kafka-configs", "--alter", "--entity-type", "topics", "--entity-name", "tools-configs",
                "--delete-config", "retention.ms");
        assertThat(tool("kafka-configs", "--describe", "--entity-type", "topics", "--entity-name", "tools-configs"))
                .doesNotContain("retention.ms").contains("cleanup.policy=compact");

        // The replication throttles are Gregor's dynamic broker configs, per broker or cluster-wide.
        assertThat(tool("kafka-configs", "--alter", "--entity-type", "brokers", "--entity-name", "1",
                "--add-config", "leader.replication.throttled.rate=1048576"))
                .contains("Completed updating config for broker 1.");
        assertThat(tool("kafka-configs", "--alter", "--entity-type", "brokers", "--entity-default",
                "--add-config", "follower.replication.throttled.rate=2097152"))
                .contains("Completed updating default config for brokers in the cluster.");
        assertThat(tool("kafka-configs", "--describe", "--entity-type", "brokers", "--entity-name", "1"))
                .contains("Dynamic configs for broker 1 are:")
                .contains("leader.replication.throttled.rate=1048576 sensitive=false "
                        + "synonyms={DYNAMIC_BROKER_CONFIG:leader.replication.throttled.rate=1048576");
        assertThat(tool("kafka-configs", "--describe", "--entity-type", "brokers", "--entity-default"))
                .contains("follower.replication.throttled.rate=2097152");
        tool("kafka-configs", "--alter", "--entity-type", "brokers", "--entity-name", "1",
                "--delete-config", "leader.replication.throttled.rate");
        tool("kafka-configs", "--alter", "--entity-type", "brokers", "--entity-default",
                "--delete-config", "follower.replication.throttled.rate");
        assertThat(tool("kafka-configs", "--describe", "--entity-type", "brokers"))
                .doesNotContain("replication.throttled.rate");
    }

    @Test
    void kafkaConfigsSetsATopicDefaultForEveryBrokerThatTopicsWithoutTheirOwnSettingFollow() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("tools-default-retention", 1, (short) 1)));

        assertThat(tool("kafka-configs", "--alter", "--entity-type", "brokers", "--entity-default",
                "--add-config", "log.retention.ms=3600000"))
                .contains("Completed updating default config for brokers in the cluster.");
        try {
            assertThat(tool("kafka-configs", "--describe", "--entity-type", "topics",
                    "--entity-name", "tools-default-retention", "--all"))
                    .contains("retention.ms=3600000 sensitive=false "
                            + "synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=3600000");
        } finally {
            tool("kafka-configs", "--alter", "--entity-type", "brokers", "--entity-default",
                    "--delete-config", "log.retention.ms");
        }
    }

    @Test
    void kafkaConfigsAddsAndDeletesScramCredentials() throws Exception {
        assertThat(tool("kafka-configs", "--alter", "--entity-type", "users", "--entity-name", "tools-carol",
                "--add-config", "SCRAM-SHA-256=[iterations=8192,password=carol-secret]"))
                .contains("Completed updating config for user tools-carol.");
        assertThat(tool("kafka-configs", "--describe", "--entity-type", "users", "--entity-name", "tools-carol"))
                .contains("SCRAM-SHA-256=iterations=8192");
        assertThat(admin.describeUserScramCredentials(List.of("tools-carol")).all().get()
                .get("tools-carol").credentialInfos())
                .singleElement().satisfies(credential -> {
                    assertThat(credential.mechanism()).isEqualTo(ScramMechanism.SCRAM_SHA_256);
                    assertThat(credential.iterations()).isEqualTo(8192);
                });

        tool("kafka-configs", "--alter", "--entity-type", "users", "--entity-name", "tools-carol",
                "--delete-config", "SCRAM-SHA-256");
        assertThat(admin.describeUserScramCredentials().all().get()).doesNotContainKey("tools-carol");
    }

    @Test
    void kafkaConfigsSetsDescribesAndDeletesClientQuotas() throws Exception {
        assertThat(tool("kafka-configs", "--alter", "--entity-type", "clients", "--entity-name", "tools-client",
                "--add-config", "producer_byte_rate=1024,consumer_byte_rate=2048"))
                .contains("Completed updating config for client tools-client.");
        assertThat(tool("kafka-configs", "--describe", "--entity-type", "clients", "--entity-name", "tools-client"))
                .contains("producer_byte_rate=1024.0").contains("consumer_byte_rate=2048.0");

        tool("kafka-configs", "--alter", "--entity-type", "clients", "--entity-name", "tools-client",
                "--delete-config", "producer_byte_rate,consumer_byte_rate");
        assertThat(tool("kafka-configs", "--describe", "--entity-type", "clients", "--entity-name", "tools-client"))
                .doesNotContain("producer_byte_rate");
    }

    @Test
    void kafkaConsumerGroupsShowsLagResetsAndDeletesOffsetsAndTheGroup() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("tools-lag", 2, (short) 1)));
        produce("tools-lag", 0, 6);
        produce("tools-lag", 1, 4);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "tools-readers"))) {
            consumer.subscribe(List.of("tools-lag"));
            assertThat(Clients.pollUntil(consumer, 10, Duration.ofSeconds(30))).hasSize(10);
            consumer.commitSync();
        }
        produce("tools-lag", 0, 3);

        assertThat(tool("kafka-consumer-groups", "--list").lines()).contains("tools-readers");
        // the tool prints a group's partitions in no particular order
        List<List<String>> described = rows(tool("kafka-consumer-groups", "--describe", "--group", "tools-readers"));
        assertThat(described.get(0)).containsExactly("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET",
                "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
        assertThat(described.subList(1, described.size()))
                .containsExactlyInAnyOrder(
                        List.of("tools-readers", "tools-lag", "0", "6", "9", "3", "-", "-", "-"),
                        List.of("tools-readers", "tools-lag", "1", "4", "4", "0", "-", "-", "-"));

        assertThat(rows(tool("kafka-consumer-groups", "--reset-offsets", "--group", "tools-readers",
                "--topic", "tools-lag", "--to-earliest", "--execute")))
                .contains(List.of("tools-readers", "tools-lag", "0", "0"), List.of("tools-readers", "tools-lag", "1", "0"));
        assertThat(rows(tool("kafka-consumer-groups", "--describe", "--group", "tools-readers")))
                .contains(List.of("tools-readers", "tools-lag", "0", "0", "9", "9", "-", "-", "-"),
                        List.of("tools-readers", "tools-lag", "1", "0", "4", "4", "-", "-", "-"));

        assertThat(tool("kafka-consumer-groups", "--delete-offsets", "--group", "tools-readers",
                "--topic", "tools-lag:1"))
                .contains("Request succeeded for deleting offsets from group tools-readers.");
        assertThat(rows(tool("kafka-consumer-groups", "--describe", "--group", "tools-readers")))
                .extracting(row -> row.get(2)).containsExactly("PARTITION", "0");

        assertThat(tool("kafka-consumer-groups", "--delete", "--group", "tools-readers"))
                .contains("Deletion of requested consumer groups ('tools-readers') was successful.");
        assertThat(tool("kafka-consumer-groups", "--list").lines()).doesNotContain("tools-readers");
    }

    @Test
    void kafkaConsumerGroupsDescribesTheMembersOfAnActiveConsumerProtocolGroup() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("tools-members", 3, (short) 1)));
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "tools-members-group",
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.CLIENT_ID_CONFIG, "tools-member"))) {
            consumer.subscribe(List.of("tools-members"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().size() < 3 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            assertThat(consumer.assignment()).hasSize(3);

            assertThat(rows(tool("kafka-consumer-groups", "--list", "--type")))
                    .contains(List.of("tools-members-group", "Consumer"));
            List<List<String>> members = rows(tool("kafka-consumer-groups", "--describe", "--group",
                    "tools-members-group", "--members", "--verbose"));
            assertThat(members.get(0)).startsWith("GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS");
            assertThat(members.subList(1, members.size())).singleElement().satisfies(member -> {
                assertThat(member.get(0)).isEqualTo("tools-members-group");
                assertThat(member.get(2)).isEqualTo("/127.0.0.1");
                assertThat(member.get(3)).isEqualTo("tools-member");
                assertThat(member.get(4)).isEqualTo("3");
                assertThat(member).contains("tools-members:0,1,2");
            });
        }
    }

    @Test
    void kafkaAclsAddsListsAndRemovesAcls() {
        assertThat(tool("kafka-acls", "--add", "--allow-principal", "User:tools-alice", "--operation", "Read",
                "--operation", "Write", "--topic", "tools-acl"))
                .contains("Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=tools-acl, patternType=LITERAL)`");
        tool("kafka-acls", "--add", "--allow-principal", "User:tools-bob", "--operation", "Read",
                "--group", "tools-", "--resource-pattern-type", "prefixed");

        assertThat(tool("kafka-acls", "--list", "--topic", "tools-acl"))
                .contains("Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=tools-acl, patternType=LITERAL)`:")
                .contains("(principal=User:tools-alice, host=*, operation=READ, permissionType=ALLOW)")
                .contains("(principal=User:tools-alice, host=*, operation=WRITE, permissionType=ALLOW)");
        assertThat(tool("kafka-acls", "--list", "--principal", "User:tools-bob"))
                .contains("ResourcePattern(resourceType=GROUP, name=tools-, patternType=PREFIXED)")
                .contains("(principal=User:tools-bob, host=*, operation=READ, permissionType=ALLOW)")
                .doesNotContain("tools-alice");

        tool("kafka-acls", "--remove", "--allow-principal", "User:tools-alice", "--operation", "Write",
                "--topic", "tools-acl", "--force");
        assertThat(tool("kafka-acls", "--list", "--topic", "tools-acl"))
                .contains("operation=READ").doesNotContain("operation=WRITE");
        tool("kafka-acls", "--remove", "--group", "tools-", "--resource-pattern-type", "prefixed", "--force");
        assertThat(tool("kafka-acls", "--list")).doesNotContain("tools-bob");
    }

    @Test
    void logDirsDeleteRecordsAndGetOffsetsSeeTheSamePartition() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("tools-offsets", 2, (short) 1)));
        produce("tools-offsets", 0, 10);

        String logDirs = tool("kafka-log-dirs", "--describe", "--topic-list", "tools-offsets");
        assertThat(logDirs).contains("Received log directory information from brokers 1")
                .contains("\"logDir\":\"" + dataDir + "\"")
                .containsPattern("\"partition\":\"tools-offsets-0\",\"size\":[1-9][0-9]*,")
                .contains("\"partition\":\"tools-offsets-1\",\"size\":0,");

        Files.writeString(workDir.resolve("delete.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"tools-offsets\",\"partition\":0,\"offset\":4}]}");
        assertThat(tool("kafka-delete-records", "--offset-json-file", "delete.json"))
                .contains("partition: tools-offsets-0\tlow_watermark: 4");

        assertThat(tool("kafka-get-offsets", "--topic", "tools-offsets", "--time", "-1").lines())
                .containsExactly("tools-offsets:0:10", "tools-offsets:1:0");
        assertThat(tool("kafka-get-offsets", "--topic", "tools-offsets", "--time", "-2").lines())
                .containsExactly("tools-offsets:0:4", "tools-offsets:1:0");
        // -3: the offset of the record with the largest timestamp (KIP-734)
        assertThat(tool("kafka-get-offsets", "--topic-partitions", "tools-offsets:0", "--time", "-3").lines())
                .containsExactly("tools-offsets:0:9");
    }

    @Test
    void clusterWideToolsDescribeTheBroker() throws Exception {
        String clusterId = admin.describeCluster().clusterId().get();
        assertThat(runTool("", "kafka-cluster", "cluster-id", "--bootstrap-server", broker.bootstrapServers()))
                .satisfies(result -> assertThat(result.exitCode()).as(result.toString()).isZero())
                .satisfies(result -> assertThat(result.stdout()).isEqualTo("Cluster ID: " + clusterId + "\n"));

        assertThat(tool("kafka-features", "describe"))
                .containsPattern("Feature: metadata.version\tSupportedMinVersion: \\S+\tSupportedMaxVersion: "
                        + "\\S+\tFinalizedVersionLevel: 4.1-IV1\tEpoch: \\d+");

        String apiVersions = tool("kafka-broker-api-versions");
        assertThat(apiVersions).startsWith(broker.bootstrapServers() + " (id: 1 rack: null isFenced: false) -> (");
        // every API these tools call is offered at a version the 4.1.1 client can use
        for (String api : List.of("Metadata(3)", "CreateTopics(19)", "DescribeConfigs(32)",
                "IncrementalAlterConfigs(44)", "DescribeAcls(29)", "CreateAcls(30)", "DeleteAcls(31)",
                "DescribeLogDirs(35)", "DeleteRecords(21)", "ListOffsets(2)", "DeleteGroups(42)",
                "OffsetDelete(47)", "DescribeQuorum(55)", "DescribeCluster(60)", "ListTransactions(66)",
                "DescribeTransactions(65)", "ElectLeaders(43)", "AlterPartitionReassignments(45)")) {
            assertThat(apiVersions).containsPattern("\t" + api.replace("(", "\\(").replace(")", "\\)")
                    + ": \\d+( to \\d+)? \\[usable: \\d+\\]");
        }

        assertThat(tool("kafka-metadata-quorum", "describe", "--status"))
                .contains("ClusterId:              " + clusterId)
                .contains("LeaderId:               1")
                .contains("MaxFollowerLag:         0")
                .contains("CurrentVoters:          [{\"id\": 1");
        assertThat(rows(tool("kafka-metadata-quorum", "describe", "--replication")))
                .extracting(row -> row.get(0) + " " + row.get(row.size() - 1))
                .containsExactly("NodeId Status", "1 Leader");
    }

    @Test
    void kafkaTransactionsListsAndDescribesAnOpenTransaction() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("tools-tx", 1, (short) 1)));
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tools-tx-id"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tools-tx", "k", "v")).get(30, TimeUnit.SECONDS);

            assertThat(rows(tool("kafka-transactions", "list")))
                    .anySatisfy(row -> assertThat(row).contains("tools-tx-id", "Ongoing"));
            String described = tool("kafka-transactions", "describe", "--transactional-id", "tools-tx-id");
            assertThat(described).contains("tools-tx-id").contains("Ongoing").contains("tools-tx-0");

            producer.commitTransaction();
        }
        assertThat(rows(tool("kafka-transactions", "list")))
                .anySatisfy(row -> assertThat(row).contains("tools-tx-id", "CompleteCommit"));
    }

    @Test
    void theConsoleProducerAndConsumerRoundTripKeyedRecords() throws Exception {
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("tools-console", 1, (short) 1)));
        List<String> lines = IntStream.range(0, 20).mapToObj(i -> "key-" + i + ":value " + i).toList();
        ChildProcess.Result produced = runTool(String.join("\n", lines) + "\n", "kafka-console-producer",
                "--bootstrap-server", broker.bootstrapServers(), "--topic", "tools-console",
                "--property", "parse.key=true", "--property", "key.separator=:");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();

        String consumed = tool("kafka-console-consumer", "--topic", "tools-console", "--from-beginning",
                "--max-messages", "20", "--property", "print.key=true", "--property", "key.separator=:");
        assertThat(consumed.lines()).containsExactlyElementsOf(lines);
    }

    /** Runs {@code script} against the broker, checks it exited 0, returns its stdout. */
    private static String tool(String script, String... args) {
        return KafkaTools.stdout(workDir, broker.bootstrapServers(), script, args);
    }

    /** Runs {@code script} with exactly {@code args} and {@code stdin} as its input. */
    private static ChildProcess.Result runTool(String stdin, String script, String... args) {
        return KafkaTools.run(workDir, stdin, script, args);
    }

    /** A tool's table as rows of columns, without the note that a group has no active members. */
    private static List<List<String>> rows(String table) {
        return KafkaTools.rows(table).stream()
                .filter(row -> !String.join(" ", row).contains("has no active members"))
                .toList();
    }

    /** {@code count} records with increasing timestamps, the last one the latest. */
    private static void produce(String topic, int partition, int count) throws Exception {
        long timestamp = System.currentTimeMillis() - count;
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, timestamp + i, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }
}
