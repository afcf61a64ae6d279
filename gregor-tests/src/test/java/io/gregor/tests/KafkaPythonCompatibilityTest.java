package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.CompressionType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka-python (Debian's python3-kafka) against Gregor. src/test/python/kafka_python_compat.py
 * creates a topic, produces keyed records uncompressed and with gzip, lists topics and offsets,
 * and consumes everything back with assigned partitions (no group); this test holds what it
 * printed against the Java client's view. kafka-python picks its request versions from the
 * broker version it infers from ApiVersions. .ci/run installs python3-kafka.
 */
class KafkaPythonCompatibilityTest {
    private static final Path PYTHON_SCRIPTS = Path.of("src", "test", "python");
    /**
     * Debian's python3-kafka installs into the system interpreter's packages, which a pyenv or
     * virtualenv python3 earlier on the PATH does not see.
     */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;
    private static final int RECORDS = 20;
    private static final int PARTITIONS = 2;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        ChildProcess.require("install Debian's python3-kafka (apt-get install python3-kafka); .ci/run does",
                PYTHON, "-c", "import kafka");
        broker = GregorBroker.start(dataDir, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) { // null when a missing client failed the class before the start
            broker.close();
        }
    }

    @Test
    void kafkaPythonProducesListsAndConsumesAssignedPartitions() throws Exception {
        String topic = "kafka-python-events";

        ChildProcess.Result result = ChildProcess.run(PYTHON_SCRIPTS, "", Duration.ofSeconds(120), List.of(
                PYTHON, "kafka_python_compat.py", broker.bootstrapServers(), topic, String.valueOf(BASE_TIMESTAMP)));

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.lines()).as("%s", result).contains(
                "created errors=[0]",
                "produced codec=none records=10",
                "produced codec=gzip records=10",
                "listed topic=True",
                "partitions " + PARTITIONS);
        assertThat(result.lines()).as("%s", result)
                .anyMatch(l -> l.startsWith("request Produce v"))
                .anyMatch(l -> l.startsWith("request Fetch v"))
                .anyMatch(l -> l.startsWith("request Offset v"))
                .anyMatch(l -> l.startsWith("request Metadata v"));

        List<String> javaView = RecordLines.readByJavaClient(broker.bootstrapServers(), topic, PARTITIONS, RECORDS);
        assertThat(RecordLines.printedBy(result)).as("what kafka-python consumed, against the Java client")
                .containsExactlyElementsOf(javaView);

        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                TopicPartition tp = new TopicPartition(topic, partition);
                ListOffsetsResultInfo end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp);
                ListOffsetsResultInfo firstGzip = admin.listOffsets(
                        Map.of(tp, OffsetSpec.forTimestamp(BASE_TIMESTAMP + 10))).all().get().get(tp);
                assertThat(result.lines()).as("%s", result).contains(
                        "end-offset partition=%d offset=%d".formatted(partition, end.offset()),
                        "beginning-offset partition=%d offset=0".formatted(partition),
                        "offset-for-time partition=%d offset=%d timestamp=%d"
                                .formatted(partition, firstGzip.offset(), firstGzip.timestamp()));
                assertThat(StoredBatches.compressionTypes(dataDir, topic, partition))
                        .as("batches of partition %d as stored", partition)
                        .contains(CompressionType.NONE, CompressionType.GZIP);
            }
        }
    }
}
