package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kcat (librdkafka) lists metadata, produces and consumes against Gregor. .ci/run installs it. */
class KcatTest {
    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void kcatListsMetadata() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("kcat-listed", 3, (short) 1))).all().get();
        }

        Result result = kcat("", "-L");

        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(result.output).contains("1 brokers:").contains("topic \"kcat-listed\" with 3 partitions");
    }

    @Test
    void kcatProducesAndConsumesKeyedRecords() throws Exception {
        Result produced = kcat("alpha:one\nbeta:two\ngamma:three\n", "-P", "-t", "kcat-data", "-K", ":");
        assertThat(produced.exitCode).as(produced.output).isZero();

        Result consumed = kcat("", "-C", "-t", "kcat-data", "-o", "beginning", "-e", "-f", "%k=%s\\n");

        assertThat(consumed.exitCode).as(consumed.output).isZero();
        assertThat(consumed.output.lines().filter(l -> l.contains("="))).containsExactlyInAnyOrder(
                "alpha=one", "beta=two", "gamma=three");
    }

    @Test
    void kcatBalancedConsumerReadsATopicInAGroup() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("kcat-grouped", 3, (short) 1))).all().get();
        }
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            input.append("k").append(i).append(":v").append(i).append('\n');
        }
        assertThat(kcat(input.toString(), "-P", "-t", "kcat-grouped", "-K", ":").exitCode).isZero();

        Result consumed = kcat("", "-G", "kcat-group", "-X", "auto.offset.reset=earliest", "-e", "-f", "%s\\n",
                "kcat-grouped");

        assertThat(consumed.exitCode).as(consumed.output).isZero();
        assertThat(consumed.output.lines().filter(l -> l.startsWith("v"))).hasSize(30);
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            assertThat(admin.listGroups().all().get()).anyMatch(g -> g.groupId().equals("kcat-group"));
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result kcat(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers(), "-m", "20"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kcat did not finish: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
