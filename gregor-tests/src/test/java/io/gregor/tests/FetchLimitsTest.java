package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.gregor.testkit.GregorBroker;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetch honours the partition and response byte limits at batch boundaries, and still returns
 * one whole batch when the first one is larger than the limit, so consumers always progress.
 */
class FetchLimitsTest {
    private static final int BATCHES = 10;
    private static final int RECORD_BYTES = 1_000;

    @TempDir
    static Path dataDir;
    static GregorBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = GregorBroker.start(dataDir, Map.of());
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("limited", 2, (short) 1))).all().get();
        }
        // Ten batches of one 1 KB record in each partition: every flush closes a batch.
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            for (int i = 0; i < BATCHES; i++) {
                producer.send(new ProducerRecord<>("limited", 0, "k", "x".repeat(RECORD_BYTES)));
                producer.send(new ProducerRecord<>("limited", 1, "k", "y".repeat(RECORD_BYTES)));
                producer.flush();
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void partitionLimitSmallerThanABatchStillReturnsOneWholeBatch() throws Exception {
        FetchResponseData.PartitionData partition = fetch(Integer.MAX_VALUE, 100, 100).get(0);

        assertThat(batches(partition)).hasSize(1);
        assertThat(partition.highWatermark()).isEqualTo(BATCHES);
    }

    @Test
    void partitionLimitCutsAtABatchBoundary() throws Exception {
        FetchResponseData.PartitionData partition = fetch(Integer.MAX_VALUE, 3_500, 3_500).get(0);

        List<RecordBatch> batches = batches(partition);
        assertThat(batches).hasSizeBetween(2, 3);
        assertThat(batches.get(0).baseOffset()).isZero();
        assertThat(partition.records().sizeInBytes()).isLessThanOrEqualTo(3_500);
    }

    @Test
    void responseLimitIsSharedAcrossPartitions() throws Exception {
        List<FetchResponseData.PartitionData> partitions = fetch(2_500, Integer.MAX_VALUE, Integer.MAX_VALUE);

        int total = partitions.stream().mapToInt(p -> p.records() == null ? 0 : p.records().sizeInBytes()).sum();
        assertThat(total).isLessThanOrEqualTo(2_500);
        assertThat(batches(partitions.get(0))).isNotEmpty();
        assertThat(batches(partitions.get(1))).as("nothing left for the second partition").isEmpty();
    }

    private static List<FetchResponseData.PartitionData> fetch(int maxBytes, int partition0Bytes, int partition1Bytes)
            throws Exception {
        Map<TopicPartition, FetchRequest.PartitionData> wanted = new LinkedHashMap<>();
        wanted.put(new TopicPartition("limited", 0),
                new FetchRequest.PartitionData(Uuid.ZERO_UUID, 0, 0, partition0Bytes, Optional.empty()));
        wanted.put(new TopicPartition("limited", 1),
                new FetchRequest.PartitionData(Uuid.ZERO_UUID, 0, 0, partition1Bytes, Optional.empty()));
        FetchRequest request = FetchRequest.Builder.forConsumer((short) 12, 100, 1, wanted)
                .setMaxBytes(maxBytes)
                .build((short) 12);
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            FetchResponse response = (FetchResponse) connection.send(request);
            assertThat(response.data().errorCode()).isZero();
            List<FetchResponseData.PartitionData> partitions =
                    response.data().responses().get(0).partitions();
            assertThat(partitions).extracting(FetchResponseData.PartitionData::errorCode).containsOnly((short) 0);
            return partitions;
        }
    }

    private static List<RecordBatch> batches(FetchResponseData.PartitionData partition) {
        if (partition.records() == null) {
            return List.of();
        }
        MemoryRecords records = (MemoryRecords) partition.records();
        return StreamSupport.stream(records.batches().spliterator(), false)
                .map(RecordBatch.class::cast)
                .toList();
    }
}
