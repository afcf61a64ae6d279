package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorProcess;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Brokers in their own processes, killed and restarted: acknowledged records survive. */
class CrashRecoveryTest {
    @TempDir
    Path tempDir;

    @Test
    void acknowledgedRecordsSurviveSigkill() throws Exception {
        Path data = tempDir.resolve("data");
        List<String> acknowledged = new ArrayList<>();
        try (GregorProcess broker = new GregorProcess(data, Map.of()).start()) {
            createTopic(broker.bootstrapServers(), "crash", 2);
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                    Map.of(ProducerConfig.ACKS_CONFIG, "1"))) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    sends.add(producer.send(new ProducerRecord<>("crash", "k" + (i % 50), "v" + i)));
                }
                for (int i = 0; i < sends.size(); i++) {
                    sends.get(i).get();
                    acknowledged.add("v" + i);
                }
            }
            broker.kill();

            broker.start();
            List<String> read = readAll(broker.bootstrapServers(), "crash", 2, acknowledged.size());
            assertThat(read).containsExactlyInAnyOrderElementsOf(acknowledged);
        }
    }

    @Test
    void cleanShutdownNeedsNoRecoveryAndKeepsEverything() throws Exception {
        Path data = tempDir.resolve("clean");
        try (GregorProcess broker = new GregorProcess(data, Map.of()).start()) {
            createTopic(broker.bootstrapServers(), "clean", 1);
            produce(broker.bootstrapServers(), "clean", 1_000);

            // gregor server handles SIGTERM itself: clean shutdown, then exit status 0.
            assertThat(broker.stop()).isZero();
            broker.start();

            assertThat(readAll(broker.bootstrapServers(), "clean", 1, 1_000)).hasSize(1_000);
            assertThat(broker.log()).doesNotContain("Recovering");
        }
    }

    @Test
    void logWhoseLastBatchWasCutInHalfRecoversToTheLastWholeBatch() throws Exception {
        Path data = tempDir.resolve("torn");
        try (GregorProcess broker = new GregorProcess(data, Map.of()).start()) {
            createTopic(broker.bootstrapServers(), "torn", 1);
            // Ten batches of 100 records: each flush closes a batch. The long linger keeps a slow
            // machine from sending part of a batch before its flush.
            try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(),
                    Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000))) {
                for (int batch = 0; batch < 10; batch++) {
                    for (int i = 0; i < 100; i++) {
                        producer.send(new ProducerRecord<>("torn", 0, "k", "b" + batch + "-" + i));
                    }
                    producer.flush();
                }
            }
            broker.kill();

            Path segment = onlySegment(data.resolve("torn-0"));
            long size = Files.size(segment);
            long lastBatchStart = lastBatchStart(segment);
            long cut = lastBatchStart + (size - lastBatchStart) / 2;
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }

            broker.start();
            List<String> read = readAll(broker.bootstrapServers(), "torn", 1, 900);
            assertThat(read).hasSize(900);
            assertThat(read.get(899)).isEqualTo("b8-99");
            try (Admin admin = Clients.admin(broker.bootstrapServers())) {
                TopicPartition tp = new TopicPartition("torn", 0);
                long end = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                        .partitionResult(tp).get().offset();
                assertThat(end).isEqualTo(900);
            }
            // The partition takes new writes after the recovered end.
            produce(broker.bootstrapServers(), "torn", 10);
            assertThat(readAll(broker.bootstrapServers(), "torn", 1, 910)).hasSize(910);
        }
    }

    private static Path onlySegment(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
            assertThat(logs).hasSize(1);
            return logs.get(0);
        }
    }

    /** Walks the batch headers (baseOffset int64, batchLength int32) to the last batch. */
    private static long lastBatchStart(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        long position = 0;
        long last = 0;
        while (position + 12 <= bytes.length) {
            int length = buffer.getInt((int) position + 8);
            last = position;
            position += 12 + length;
        }
        return last;
    }

    private static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Clients.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    private static void produce(String bootstrap, String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "v" + i));
            }
            producer.flush();
        }
    }

    private static List<String> readAll(String bootstrap, String topic, int partitions, int expected) {
        try (KafkaConsumer<String, String> consumer = Clients.consumer(bootstrap, Map.of())) {
            List<TopicPartition> assignment = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assignment.add(new TopicPartition(topic, p));
            }
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            return Clients.pollUntil(consumer, expected, Duration.ofSeconds(30)).stream()
                    .map(ConsumerRecord::value).toList();
        }
    }
}
