package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gregor.tests.GregorCli.Result;
import io.gregor.testkit.GregorBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gregor command line against a running broker, asserting on what it prints and its exit
 * codes. Most commands run in the test's JVM ({@link GregorCli#runInProcess}): the same command
 * line, output and exit code, without a JVM's start per command. The first-hour tour, the
 * failures that must stay one line on stderr, and {@code gregor server} run as a user runs them,
 * as separate processes (the test's classpath, main class GregorCommand).
 */
class CliTest {
    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        // A group's first member is not kept waiting for others: each `consume --group` joins alone.
        broker = GregorBroker.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static Result gregorWithInput(String stdin, String... args) {
        return GregorCli.runInProcess(broker.bootstrapServers(), stdin, args);
    }

    static Result gregor(String... args) {
        return gregorWithInput("", args);
    }

    /** As a separate process, the way a user runs it. */
    static Result gregorProcessWithInput(String stdin, String... args) {
        return GregorCli.run(dataDir, broker.bootstrapServers(), stdin, args);
    }

    static Result gregorProcess(String... args) {
        return gregorProcessWithInput("", args);
    }

    /** A loopback address where nothing listens: a free port, bound and closed again. */
    static String deadAddress() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void userSetScramListAndDeleteScramManageCredentialsWithoutThePasswordOnTheCommandLine() throws Exception {
        Path passwordFile = dataDir.resolve("cli-user-password");
        Files.writeString(passwordFile, "from-a-file\n");

        Result fromStdin = gregorWithInput("from-stdin\n", "user", "set-scram", "cli-alice", "--mechanism", "SCRAM-SHA-256");
        assertThat(fromStdin.exitCode()).as(fromStdin.err()).isZero();
        assertThat(fromStdin.out()).contains("Set the SCRAM-SHA-256 credential of user cli-alice (8192 iterations)");
        Result fromFile = gregor("user", "set-scram", "cli-alice", "--mechanism", "scram-sha-512", "--iterations", "4096",
                "--password-file", passwordFile.toString());
        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();

        Result listed = gregor("user", "list");
        assertThat(listed.out()).containsPattern("(?m)^USER\\s+MECHANISM\\s+ITERATIONS$")
                .containsPattern("(?m)^cli-alice\\s+SCRAM-SHA-256\\s+8192$")
                .containsPattern("(?m)^cli-alice\\s+SCRAM-SHA-512\\s+4096$");
        assertThat(gregor("user", "list", "-o", "json").out()).contains("\"user\": \"cli-alice\"")
                .contains("\"mechanism\": \"SCRAM-SHA-512\"").contains("\"iterations\": 4096");

        Result deleted = gregor("user", "delete-scram", "cli-alice", "--mechanism", "SCRAM-SHA-256");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted the SCRAM-SHA-256 credential of user cli-alice");
        assertThat(gregor("user", "list").out()).doesNotContain("SCRAM-SHA-256").contains("SCRAM-SHA-512");

        Result again = gregor("user", "delete-scram", "cli-alice", "--mechanism", "SCRAM-SHA-256");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err().stripTrailing()).isEqualTo("Error: The cluster refused: Attempt to delete a "
                + "SCRAM-SHA-256 credential of user cli-alice that does not exist");
        Result tooFew = gregorWithInput("pw\n", "user", "set-scram", "cli-bob", "--mechanism", "SCRAM-SHA-256",
                "--iterations", "100");
        assertThat(tooFew.exitCode()).isEqualTo(1);
        assertThat(tooFew.err()).contains("Too few iterations");
        Result empty = gregorWithInput("\n", "user", "set-scram", "cli-bob", "--mechanism", "SCRAM-SHA-256");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err().stripTrailing()).isEqualTo("Error: The password is empty");
    }

    @Test
    void quotaSetListAndDeleteManageClientQuotasAndRefusalsAreOneLine() {
        Result set = gregor("quota", "set", "--user", "cli-quota-user", "--default-client-id",
                "--producer-byte-rate", "1048576", "--consumer-byte-rate", "2097152");
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out()).contains("Set producer_byte_rate=1048576, consumer_byte_rate=2097152 for "
                + "user=cli-quota-user, client-id=<default>");
        assertThat(gregor("quota", "set", "--client-id", "cli-quota-app", "--producer-byte-rate", "4096").exitCode())
                .isZero();
        assertThat(gregor("quota", "set", "--client-id", "cli-quota-app", "--controller-mutation-rate", "0.5").out())
                .contains("Set controller_mutation_rate=0.5 for client-id=cli-quota-app");

        Result listed = gregor("quota", "list", "--user", "cli-quota-user");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).containsPattern("cli-quota-user +<default> +consumer_byte_rate +2097152")
                .containsPattern("cli-quota-user +<default> +producer_byte_rate +1048576")
                .doesNotContain("cli-quota-app");
        assertThat(gregor("quota", "list", "-o", "json").out()).contains("\"client-id\": \"cli-quota-app\"")
                .contains("\"producer_byte_rate\": 4096").contains("\"controller_mutation_rate\": 0.5");

        Result deleted = gregor("quota", "delete", "--user", "cli-quota-user", "--default-client-id",
                "--producer-byte-rate");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(gregor("quota", "list", "--user", "cli-quota-user").out()).contains("consumer_byte_rate")
                .doesNotContain("producer_byte_rate");
        assertThat(gregor("quota", "delete", "--client-id", "cli-quota-app").out())
                .contains("Deleted controller_mutation_rate, producer_byte_rate of client-id=cli-quota-app");

        Result refused = gregor("quota", "set", "--client-id", "cli-quota-app", "--producer-byte-rate", "0");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().stripTrailing()).isEqualTo("Error: The cluster refused: Invalid value 0.0 for quota "
                + "producer_byte_rate: it must be a whole number of bytes per second, at least 1");
        Result both = gregor("quota", "set", "--user", "x", "--default-user", "--producer-byte-rate", "5");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err().stripTrailing()).isEqualTo("Error: Give either --user or --default-user, not both");
    }

    @Test
    void aclAddListAndRemoveManageAclsAndRefusalsAreOneLine() {
        Result added = gregor("acl", "add", "--allow", "--principal", "User:cli-ann", "--operation", "read,DESCRIBE",
                "--topic", "cli-orders");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("Added: ALLOW User:cli-ann READ on TOPIC cli-orders (LITERAL) from *");
        assertThat(gregor("acl", "add", "--deny", "--principal", "User:cli-ann", "--operation", "WRITE", "--group",
                "cli-", "--prefixed", "--host", "10.0.0.7").exitCode()).isZero();
        assertThat(gregor("acl", "add", "--allow", "--principal", "User:cli-ann", "--operation", "IDEMPOTENT_WRITE",
                "--cluster").exitCode()).isZero();

        Result listed = gregor("acl", "list", "--principal", "User:cli-ann");
        assertThat(listed.out()).contains("RESOURCE-TYPE").contains("cli-orders").contains("PREFIXED")
                .contains("10.0.0.7").contains("kafka-cluster").contains("IDEMPOTENT_WRITE");
        assertThat(gregor("acl", "list", "--topic", "cli-orders", "-o", "json").out())
                .contains("\"operation\": \"READ\"").contains("\"operation\": \"DESCRIBE\"").doesNotContain("WRITE");

        Result removed = gregor("acl", "remove", "--topic", "cli-orders", "--operation", "READ");
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(removed.out()).contains("Removed 1 ACL:").contains("READ");
        assertThat(gregor("acl", "list", "--topic", "cli-orders").out()).contains("DESCRIBE").doesNotContain("READ");
        assertThat(gregor("acl", "remove", "--topic", "nothing-here").out())
                .contains("No ACLs matched; nothing was removed");

        Result refused = gregor("acl", "add", "--allow", "--principal", "cli-ann", "--operation", "READ", "--topic", "t");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().stripTrailing()).isEqualTo("Error: The cluster refused: Invalid principal 'cli-ann': "
                + "expected the form Type:name, such as User:alice or User:*");
    }

    @Test
    void firstHourTourCreatesProducesConsumesDescribesAndDeletes() {
        Result created = gregorProcess("topic", "create", "tour", "--partitions", "3");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created topic tour (3 partitions, replication factor 1)");

        Result listed = gregorProcess("topic", "list");
        assertThat(listed.out()).containsPattern("(?m)^tour\\s+3\\s+1$");

        Result produced = gregorProcessWithInput("alice:hello\nbob:world\nalice:again\n", "produce", "tour",
                "--key-separator", ":");
        assertThat(produced.exitCode()).as(produced.err()).isZero();
        assertThat(produced.out()).contains("Produced 3 records to tour");

        Result consumed = gregorProcess("consume", "tour", "--format", "{key}={value}");
        assertThat(consumed.exitCode()).as(consumed.err()).isZero();
        assertThat(consumed.out().lines()).containsExactlyInAnyOrder("alice=hello", "bob=world", "alice=again");
        assertThat(consumed.out()).containsSubsequence("alice=hello", "alice=again");

        Result described = gregorProcess("topic", "describe", "tour");
        assertThat(described.exitCode()).as(described.err()).isZero();
        assertThat(described.out()).contains("PARTITION", "LEADER", "REPLICAS", "ISR", "LOG-START", "LOG-END", "SIZE");
        assertThat(described.out().lines().filter(l -> l.matches("^[0-2]\\s+1\\s+1\\s+1\\s+0\\s+\\d+\\s+.*")))
                .hasSize(3);

        Result deleted = gregorProcess("topic", "delete", "tour");
        assertThat(deleted.out()).contains("Deleted topic tour");
        assertThat(gregorProcess("topic", "list").out()).doesNotContain("tour");
    }

    @Test
    void describeShowsNonDefaultConfigsAndJsonOutput() {
        gregor("topic", "create", "configured", "--config", "retention.ms=3600000");
        assertThat(gregor("topic", "describe", "configured").out()).contains("Configs: retention.ms=3600000");

        Result altered = gregor("topic", "alter", "configured", "--config", "cleanup.policy=compact");
        assertThat(altered.exitCode()).as(altered.err()).isZero();
        Result json = gregor("topic", "describe", "configured", "--output", "json");
        assertThat(json.out()).contains("\"cleanup.policy\": \"compact\"", "\"retention.ms\": \"3600000\"",
                "\"logEndOffset\": 0");
    }

    @Test
    void addPartitionsGrowsTheTopic() {
        gregor("topic", "create", "growing", "--partitions", "1");
        Result grown = gregor("topic", "add-partitions", "growing", "--partitions", "4");
        assertThat(grown.out()).contains("Topic growing now has 4 partitions");
        assertThat(gregor("topic", "list", "-o", "json").out()).contains("\"partitions\": 4");
    }

    @Test
    void reassignMovesAPartitionOnlyToRegisteredBrokersAndListsNoneInProgress() {
        gregor("topic", "create", "placed", "--partitions", "1");
        Result same = gregor("topic", "reassign", "placed", "--partition", "0", "--replicas", "1");
        assertThat(same.exitCode()).isZero();
        assertThat(same.out()).contains("Reassigning placed-0 to replicas 1");

        Result unknownBroker = gregor("topic", "reassign", "placed", "--partition", "0", "--replicas", "1,7");
        assertThat(unknownBroker.exitCode()).isEqualTo(1);
        assertThat(unknownBroker.err()).contains("Broker 7").hasLineCount(1);

        Result nothingToCancel = gregor("topic", "reassign", "placed", "--partition", "0", "--cancel");
        assertThat(nothingToCancel.exitCode()).isEqualTo(1);
        assertThat(nothingToCancel.err()).contains("No reassignment of placed-0 is in progress");

        assertThat(gregor("topic", "reassign", "--list").out()).contains("No partition reassignments in progress");
        assertThat(gregor("topic", "reassign", "placed", "--replicas", "1").exitCode()).isEqualTo(2);
    }

    @Test
    void consumeFromAnOffsetToACountAsJson() {
        gregor("topic", "create", "counted", "--partitions", "1");
        gregorWithInput("a\nb\nc\nd\n", "produce", "counted", "--header", "source=test");

        Result consumed = gregor("consume", "counted", "--from", "1", "--max-messages", "2", "-o", "json");

        assertThat(consumed.out().lines()).hasSize(2);
        assertThat(consumed.out()).contains("\"offset\":1", "\"value\":\"b\"", "\"value\":\"c\"",
                "\"headers\":{\"source\":\"test\"}");
    }

    @Test
    void consumingWithAGroupCommitsOffsetsThatGroupDescribeShowsWithLag() {
        gregor("topic", "create", "grouped", "--partitions", "1");
        gregorWithInput("a\nb\nc\n", "produce", "grouped");

        Result consumed = gregor("consume", "grouped", "--group", "cli-readers", "--max-messages", "3");
        assertThat(consumed.exitCode()).as(consumed.err()).isZero();
        assertThat(consumed.out().lines()).containsExactly("a", "b", "c");
        gregorWithInput("d\ne\n", "produce", "grouped");

        assertThat(gregor("group", "list").out()).contains("cli-readers");
        Result described = gregor("group", "describe", "cli-readers");
        assertThat(described.exitCode()).as(described.err()).isZero();
        assertThat(described.out().lines().filter(l -> l.matches("^grouped\\s+0\\s+3\\s+5\\s+2\\b.*")))
                .as(described.out()).hasSize(1);

        Result resumed = gregor("consume", "grouped", "--group", "cli-readers", "--max-messages", "2");
        assertThat(resumed.out().lines()).containsExactly("d", "e");

        Result deleted = gregor("group", "delete", "cli-readers");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(gregor("group", "list").out()).doesNotContain("cli-readers");
    }

    @Test
    void transactionsListAndDescribeShowAnOpenTransactionAndItsPartitions() throws Exception {
        gregor("topic", "create", "txn-cli", "--partitions", "2");
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cli-writer",
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-cli", 0, "k", "v")).get();
            producer.send(new ProducerRecord<>("txn-cli", 1, "k", "v")).get();

            Result listed = gregor("transactions", "list", "--state", "Ongoing");
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(listed.out().lines().filter(l -> l.matches("^cli-writer\\s+\\d+\\s+Ongoing\\s*$")))
                    .hasSize(1);
            Result described = gregor("transactions", "describe", "cli-writer");
            assertThat(described.exitCode()).as(described.err()).isZero();
            assertThat(described.out()).contains("state: Ongoing", "timeout: 60000 ms");
            assertThat(described.out().lines().filter(l -> l.matches("^txn-cli\\s+[01]\\s*$"))).hasSize(2);
            Result json = gregor("transactions", "describe", "cli-writer", "-o", "json");
            assertThat(json.out()).contains("\"transactionalId\"", "\"Ongoing\"", "\"txn-cli-0\"", "\"txn-cli-1\"");

            producer.commitTransaction();
        }
        assertThat(gregor("transactions", "list", "--state", "Ongoing").out()).doesNotContain("cli-writer");
        assertThat(gregor("transactions", "list", "-o", "json").out()).contains("\"cli-writer\"");

        Result unknown = gregor("transactions", "describe", "no-such-writer");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err().strip()).startsWith("Error: The cluster refused:").doesNotContain("\n");
        Result badState = gregor("transactions", "list", "--state", "Sleeping");
        assertThat(badState.exitCode()).isEqualTo(2);
    }

    @Test
    void groupResetOffsetsShowsItsPlanUnlessExecutedAndKeepsOffsetsInTheLog() {
        gregor("topic", "create", "resettable", "--partitions", "2");
        gregorWithInput("a\nb\nc\n", "produce", "resettable", "--partition", "0");
        gregorWithInput("d\ne\n", "produce", "resettable", "--partition", "1");
        assertThat(gregor("consume", "resettable", "--group", "resetters", "--max-messages", "5").exitCode()).isZero();

        Result planned = gregor("group", "reset-offsets", "resetters", "--topic", "resettable", "--to-earliest");
        assertThat(planned.exitCode()).as(planned.err()).isZero();
        assertThat(planned.out()).contains("Dry run");
        assertThat(rows(planned.out(), "resettable\\s+0\\s+3\\s+0")).as(planned.out()).hasSize(1);
        assertThat(committedLine("resetters", 0)).as("a dry run changes nothing").matches(".*\\s3\\s+3\\s+0\\b.*");

        Result toOffset = gregor("group", "reset-offsets", "resetters", "--topic", "resettable:0", "--to-offset", "1",
                "--execute");
        assertThat(toOffset.exitCode()).as(toOffset.err()).isZero();
        assertThat(committedLine("resetters", 0)).matches("^resettable\\s+0\\s+1\\s+3\\s+2\\b.*");
        assertThat(committedLine("resetters", 1)).as("partition 1 untouched").matches("^resettable\\s+1\\s+2\\s+2\\s+0\\b.*");

        gregor("group", "reset-offsets", "resetters", "--all-topics", "--shift-by", "-10", "--execute");
        assertThat(committedLine("resetters", 0)).as("kept within the log").matches("^resettable\\s+0\\s+0\\s+3\\s+3\\b.*");
        assertThat(committedLine("resetters", 1)).matches("^resettable\\s+1\\s+0\\s+2\\s+2\\b.*");

        gregor("group", "reset-offsets", "resetters", "--topic", "resettable", "--to-datetime", "2999-01-01T00:00:00Z",
                "--execute");
        assertThat(committedLine("resetters", 0)).as("nothing that new: the end")
                .matches("^resettable\\s+0\\s+3\\s+3\\s+0\\b.*");
        gregor("group", "reset-offsets", "resetters", "--topic", "resettable", "--to-datetime", "0", "--execute");
        assertThat(committedLine("resetters", 1)).matches("^resettable\\s+1\\s+0\\s+2\\s+2\\b.*");

        Result json = gregor("group", "reset-offsets", "resetters", "--topic", "resettable:1", "--to-latest",
                "--execute", "-o", "json");
        assertThat(json.out()).contains("\"executed\": true", "\"new\": 2");
        assertThat(committedLine("resetters", 1)).matches("^resettable\\s+1\\s+2\\s+2\\s+0\\b.*");

        Result noTarget = gregor("group", "reset-offsets", "resetters", "--topic", "resettable");
        assertThat(noTarget.exitCode()).isEqualTo(2);
        Result noPartition = gregor("group", "reset-offsets", "resetters", "--topic", "resettable:7", "--to-latest");
        assertThat(noPartition.exitCode()).isEqualTo(2);
        assertThat(noPartition.err()).contains("has no partition 7");
    }

    /**
     * A running consumer of the KIP-848 protocol: describe shows its protocol, state and
     * assignment, a lag equal to what AdminClient computes from the committed and end offsets,
     * and reset-offsets refuses to move its offsets under it.
     */
    @Test
    void groupDescribeShowsAConsumerProtocolGroupWithLagMatchingAdminClient() throws Exception {
        gregor("topic", "create", "modern", "--partitions", "2");
        gregorWithInput("a\nb\nc\nd\n", "produce", "modern", "--partition", "0");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "modern-readers", ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 3));
             Admin admin = Clients.admin(broker.bootstrapServers())) {
            consumer.subscribe(List.of("modern"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2 && consumer.position(new TopicPartition("modern", 0)) == 3;
            });
            consumer.commitSync();
            gregorWithInput("e\n", "produce", "modern", "--partition", "1");

            Result described = gregor("group", "describe", "modern-readers");
            assertThat(described.exitCode()).as(described.err()).isZero();
            assertThat(described.out()).contains("protocol: consumer", "state: Stable", "assignor: uniform",
                    "modern:0,1");
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("modern-readers")
                    .partitionsToOffsetAndMetadata().get();
            for (int p = 0; p < 2; p++) {
                TopicPartition tp = new TopicPartition("modern", p);
                long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
                long lag = end - committed.get(tp).offset();
                assertThat(rows(described.out(), "modern\\s+" + p + "\\s+" + committed.get(tp).offset() + "\\s+" + end
                        + "\\s+" + lag + "\\s+" + consumer.groupMetadata().memberId()))
                        .as(described.out()).hasSize(1);
            }
            assertThat(rows(described.out(), "modern\\s+0\\s+3\\s+4\\s+1\\b.*")).hasSize(1);

            Result json = gregor("group", "describe", "modern-readers", "-o", "json");
            assertThat(json.out()).contains("\"protocol\": \"consumer\"", "\"modern-0\"", "\"modern-1\"", "\"lag\": 1");

            Result refused = gregor("group", "reset-offsets", "modern-readers", "--all-topics", "--to-earliest",
                    "--execute");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("active member");
        }
    }

    private static List<String> rows(String output, String regex) {
        return output.lines().filter(l -> l.matches("^" + regex + ".*")).toList();
    }

    /** The describe line of one partition of the "resettable" topic. */
    private static String committedLine(String group, int partition) {
        Result described = gregor("group", "describe", group);
        assertThat(described.exitCode()).as(described.err()).isZero();
        return described.out().lines().filter(l -> l.startsWith("resettable ") && l.split("\\s+")[1]
                .equals(String.valueOf(partition))).findFirst().orElseThrow(() -> new AssertionError(described.out()));
    }

    @Test
    void clusterDescribeShowsTheBrokerAndItsApiVersions() {
        Result cluster = gregor("cluster", "describe");
        assertThat(cluster.exitCode()).as(cluster.err()).isZero();
        assertThat(cluster.out()).contains("Cluster id:", "BROKER", "API versions offered", "ApiVersions", "Produce");
    }

    @Test
    void unknownTopicFailsWithOneLine() {
        Result described = gregorProcess("topic", "describe", "no-such-topic");
        assertThat(described.exitCode()).isEqualTo(1);
        assertThat(described.err().strip()).isEqualTo("Error: Topic no-such-topic does not exist (see 'gregor topic list')");

        Result consumed = gregorProcess("consume", "no-such-topic");
        assertThat(consumed.exitCode()).isEqualTo(1);
        assertThat(consumed.err().strip()).startsWith("Error: Topic no-such-topic does not exist");
    }

    @Test
    void invalidPartitionCountAndMalformedTimestampAreBadUsage() {
        Result zero = gregor("topic", "create", "bad", "--partitions", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err().lines()).singleElement().asString().contains("Invalid partition count 0");

        Result shrink = gregor("topic", "create", "shrinking", "--partitions", "3");
        assertThat(shrink.exitCode()).isZero();
        Result fewer = gregor("topic", "add-partitions", "shrinking", "--partitions", "2");
        assertThat(fewer.exitCode()).isEqualTo(1);
        assertThat(fewer.err().lines()).hasSize(1);

        Result timestamp = gregor("consume", "shrinking", "--from", "last tuesday");
        assertThat(timestamp.exitCode()).isEqualTo(2);
        assertThat(timestamp.err().lines()).singleElement().asString().contains("'last tuesday'");
    }

    @Test
    void noBrokerAtTheAddressIsOneLineAndExitOne() {
        Result result = gregorProcess("topic", "list", "--bootstrap-server", deadAddress());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().lines()).singleElement().asString().startsWith("Error: No broker reachable at 127.0.0.1:");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void serverWithAnInvalidValueExitsTwoNamingKeyAndValue() {
        Result result = gregorProcess("server", "--override", "num.partitions=many",
                "--override", "log.dirs=" + dataDir.resolve("never-started"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("num.partitions").contains("many");
        assertThat(result.err().lines()).hasSize(1);
    }
}
