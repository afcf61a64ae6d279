package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log directory whose file system fails takes its partitions offline with
 * KAFKA_STORAGE_ERROR; the broker, and the partitions in its other directory, carry on.
 * The failure is made real by replacing a partition's directory with a plain file, so that the
 * next segment roll cannot create its files (running as root, permissions would not stop it).
 */
class DiskFailureTest {
    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of(
                "log.dirs", dataDir.resolve("disk-a") + "," + dataDir.resolve("disk-b")));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void failingDirectoryTakesItsPartitionsOfflineAndTheRestCarriesOn() throws Exception {
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            // Tiny segments: every batch rolls a new segment, which needs new files.
            Map<String, String> rollEveryBatch = Map.of("segment.bytes", "1024");
            admin.createTopics(List.of(new NewTopic("doomed", 1, (short) 1).configs(rollEveryBatch))).all().get();
            admin.createTopics(List.of(new NewTopic("healthy", 1, (short) 1).configs(rollEveryBatch))).all().get();
            produce("doomed", 3);
            produce("healthy", 3);

            Path doomedDir = find("doomed-0");
            Path healthyDir = find("healthy-0");
            assertThat(doomedDir.getParent()).as("the two partitions live on different disks")
                    .isNotEqualTo(healthyDir.getParent());
            breakDirectory(doomedDir);

            // Producers retry KAFKA_STORAGE_ERROR until their delivery timeout, so the code is
            // checked on the wire.
            assertThat(rawProduce("doomed")).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
            assertThat(rawProduce("doomed")).isEqualTo(Errors.KAFKA_STORAGE_ERROR);

            produce("healthy", 3);
            assertThat(readCount("healthy")).isEqualTo(6);
            int nodeId = admin.describeCluster().nodes().get().iterator().next().id();
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(nodeId))
                    .allDescriptions().get().get(nodeId);
            assertThat(dirs.get(doomedDir.getParent().toAbsolutePath().toString()).error())
                    .isInstanceOf(KafkaStorageException.class);
            assertThat(dirs.get(healthyDir.getParent().toAbsolutePath().toString()).error()).isNull();
        }
    }

    private static void produce(String topic, int records) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), config)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "x".repeat(600))).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Errors rawProduce(String topic) throws IOException {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("k".getBytes(), "x".repeat(600).getBytes()));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        data.topicData().add(topicData);
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            ProduceResponse response = (ProduceResponse) connection.send(
                    new ProduceRequest.Builder((short) 9, (short) 9, data).build((short) 9));
            return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
        }
    }

    private static int readCount(String topic) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            return Clients.pollUntil(consumer, 6, Duration.ofSeconds(20)).size();
        }
    }

    private static Path find(String partitionDir) throws IOException {
        try (Stream<Path> paths = Files.walk(dataDir, 2)) {
            return paths.filter(p -> p.getFileName().toString().equals(partitionDir)).findFirst().orElseThrow();
        }
    }

    private static void breakDirectory(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(dir, "not a directory any more");
    }
}
