package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ListOffsets, seeking by timestamp, DeleteRecords and DescribeLogDirs through real clients. */
class OffsetsAndTimestampsTest {
    private static final long BASE_TIME = 1_700_000_000_000L;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = GregorBroker.start(dataDir, Map.of());
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    /** Writes 100 records with timestamps BASE_TIME + i * 1000, in batches of 10. */
    private static TopicPartition writeTimedRecords(String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, BASE_TIME + i * 1000L, "k" + i, "v" + i));
                if (i % 10 == 9) {
                    producer.flush();
                }
            }
        }
        return new TopicPartition(topic, 0);
    }

    @Test
    void consumerSeeksToTheFirstRecordAtOrAfterATimestamp() throws Exception {
        TopicPartition partition = writeTimedRecords("timed");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(partition));

            Map<TopicPartition, OffsetAndTimestamp> found =
                    consumer.offsetsForTimes(Map.of(partition, BASE_TIME + 42_500L));
            assertThat(found.get(partition).offset()).isEqualTo(43);
            assertThat(found.get(partition).timestamp()).isEqualTo(BASE_TIME + 43_000L);

            consumer.seek(partition, found.get(partition).offset());
            List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, 57, Duration.ofSeconds(20));
            assertThat(records).hasSize(57);
            assertThat(records.get(0).value()).isEqualTo("v43");

            assertThat(consumer.offsetsForTimes(Map.of(partition, BASE_TIME + 1_000_000L)).get(partition)).isNull();
        }
    }

    @Test
    void listOffsetsAnswersEarliestLatestAndMaxTimestamp() throws Exception {
        TopicPartition partition = writeTimedRecords("listed");

        assertThat(offset(partition, OffsetSpec.earliest()).offset()).isEqualTo(0);
        assertThat(offset(partition, OffsetSpec.latest()).offset()).isEqualTo(100);
        ListOffsetsResultInfo max = offset(partition, OffsetSpec.maxTimestamp());
        assertThat(max.offset()).isEqualTo(99);
        assertThat(max.timestamp()).isEqualTo(BASE_TIME + 99_000L);
        assertThat(offset(partition, OffsetSpec.forTimestamp(BASE_TIME + 5_000L)).offset()).isEqualTo(5);
    }

    @Test
    void deleteRecordsMovesTheLogStartOffset() throws Exception {
        TopicPartition partition = writeTimedRecords("trimmed");

        long lowWatermark = admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(30)))
                .lowWatermarks().get(partition).get().lowWatermark();

        assertThat(lowWatermark).isEqualTo(30);
        assertThat(offset(partition, OffsetSpec.earliest()).offset()).isEqualTo(30);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, 70, Duration.ofSeconds(20));
            assertThat(records).hasSize(70);
            assertThat(records.get(0).offset()).isEqualTo(30);
        }
    }

    @Test
    void describeLogDirsReportsPartitionSizes() throws Exception {
        writeTimedRecords("sized");
        int nodeId = admin.describeCluster().nodes().get().iterator().next().id();

        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(nodeId)).allDescriptions().get().get(nodeId);

        assertThat(dirs).hasSize(1);
        LogDirDescription dir = dirs.values().iterator().next();
        assertThat(dir.error()).isNull();
        assertThat(dir.replicaInfos().get(new TopicPartition("sized", 0)).size()).isGreaterThan(100 * 10);
    }

    @Test
    void offsetForLeaderEpochAnswersTheEndOfTheEpoch() throws Exception {
        TopicPartition partition = writeTimedRecords("epochs");
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(partition.topic());
        topic.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                .setPartition(0).setLeaderEpoch(0).setCurrentLeaderEpoch(0));
        topics.add(topic);

        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            OffsetsForLeaderEpochResponse response = (OffsetsForLeaderEpochResponse) connection.send(
                    OffsetsForLeaderEpochRequest.Builder.forConsumer(topics).build());
            OffsetForLeaderEpochResponseData.EpochEndOffset answer =
                    response.data().topics().iterator().next().partitions().get(0);
            assertThat(answer.errorCode()).isZero();
            assertThat(answer.leaderEpoch()).isZero();
            assertThat(answer.endOffset()).isEqualTo(100);

            topic.partitions().get(0).setCurrentLeaderEpoch(5);
            OffsetsForLeaderEpochResponse ahead = (OffsetsForLeaderEpochResponse) connection.send(
                    OffsetsForLeaderEpochRequest.Builder.forConsumer(topics).build());
            assertThat(Errors.forCode(ahead.data().topics().iterator().next().partitions().get(0).errorCode()))
                    .isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);
        }
    }

    private static ListOffsetsResultInfo offset(TopicPartition partition, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition).get();
    }
}
