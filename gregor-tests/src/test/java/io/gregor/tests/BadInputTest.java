package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.testkit.GregorBroker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad requests get the protocol's answer; nothing is lost and other clients carry on. */
class BadInputTest {
    @TempDir
    static Path dataDir;
    static GregorBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = GregorBroker.start(dataDir, Map.of("socket.request.max.bytes", "1048576"));
        admin = Clients.admin(broker.bootstrapServers());
        Clients.createTopicsAndAwaitLeaders(admin, List.of(new NewTopic("guarded", 1, (short) 1)));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void frameLargerThanSocketRequestMaxBytesIsRefusedAndOthersCarryOn() throws Exception {
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            // Announce a 1 GiB request: the broker must close without waiting for (or allocating) it.
            connection.writeRaw(ByteBuffer.allocate(4).putInt(1 << 30).array());
            assertThat(connection.isClosedByPeer()).isTrue();
        }
        assertThat(admin.listTopics().names().get()).contains("guarded");
    }

    @Test
    void batchWithBadCrcGetsCorruptMessageAndNothingIsAppended() throws Exception {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("k".getBytes(), "v".getBytes()));
        ByteBuffer corrupted = records.buffer().duplicate();
        int lastByte = corrupted.limit() - 1;
        corrupted.put(lastByte, (byte) (corrupted.get(lastByte) ^ 0xFF));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5_000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("guarded");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.readableRecords(corrupted)));
        data.topicData().add(topic);

        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            ProduceResponse response = (ProduceResponse) connection.send(
                    new ProduceRequest.Builder((short) 9, (short) 9, data).build((short) 9));
            short error = response.data().responses().iterator().next().partitionResponses().get(0).errorCode();
            assertThat(Errors.forCode(error)).isEqualTo(Errors.CORRUPT_MESSAGE);
        }
        TopicPartition partition = new TopicPartition("guarded", 0);
        assertThat(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get()
                .offset()).isZero();
    }

    @Test
    void aProducerMayNotWriteToTheGroupCoordinatorsInternalTopic() throws Exception {
        TopicPartition guarded = new TopicPartition("guarded", 0);
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "keepers"))) {
            consumer.assign(List.of(guarded));
            consumer.commitSync(Map.of(guarded, new OffsetAndMetadata(0)));
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers(), Map.of())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("__consumer_offsets", "not a group record",
                    "junk")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(InvalidTopicException.class).hasMessageContaining("internal topic");
        }
        // The coordinator's records are intact: the group's offset reads back and a new commit lands.
        assertThat(admin.listConsumerGroupOffsets("keepers").partitionsToOffsetAndMetadata().get())
                .containsEntry(guarded, new OffsetAndMetadata(0));
        admin.alterConsumerGroupOffsets("keepers", Map.of(guarded, new OffsetAndMetadata(0))).all().get();
    }

    @Test
    void apiVersionsAtAnUnsupportedVersionIsAnsweredWithTheSupportedRanges() throws Exception {
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            // Header v2 for ApiVersions v99: key 18, version 99, correlation id 7, client id "x",
            // no tagged fields; then an empty flexible body.
            ByteBuffer frame = ByteBuffer.allocate(2 + 2 + 4 + 2 + 1 + 1 + 3);
            frame.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99).putInt(7)
                    .putShort((short) 1).put((byte) 'x').put((byte) 0)
                    .put((byte) 1).put((byte) 1).put((byte) 0).flip();
            connection.writeFrame(frame);

            ByteBuffer answer = connection.readFrame();
            assertThat(answer.getInt()).as("correlation id").isEqualTo(7);
            ApiVersionsResponse response = ApiVersionsResponse.parse(
                    new org.apache.kafka.common.protocol.ByteBufferAccessor(answer), (short) 0);
            assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
            assertThat(response.data().apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short) 4);
        }
    }

    @Test
    void apiVersionsAdvertisesWhatRealClientsNeed() throws Exception {
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            ApiVersionsRequest request = new ApiVersionsRequest(new ApiVersionsRequestData()
                    .setClientSoftwareName("raw").setClientSoftwareVersion("1"), (short) 4);
            ApiVersionsResponse supported = (ApiVersionsResponse) connection.send(request);
            assertThat(supported.data().errorCode()).isZero();
            // librdkafka reads Produce's minimum from here (KAFKA-18659): it must stay 0.
            assertThat(supported.data().apiKeys().find(ApiKeys.PRODUCE.id).minVersion()).isZero();
            assertThat(supported.data().apiKeys().find(ApiKeys.FETCH.id).maxVersion()).isGreaterThanOrEqualTo((short) 11);
        }
    }

    @Test
    void unknownApiKeyClosesOnlyThatConnection() throws Exception {
        try (RawConnection connection = new RawConnection(broker.bootstrapServers())) {
            // Header v1: api key 9999, version 0, correlation id 1, client id "x".
            ByteBuffer frame = ByteBuffer.allocate(2 + 2 + 4 + 2 + 1);
            frame.putShort((short) 9999).putShort((short) 0).putInt(1).putShort((short) 1).put((byte) 'x').flip();
            connection.writeFrame(frame);
            assertThat(connection.isClosedByPeer()).isTrue();
        }
        assertThat(admin.listTopics().names().get()).contains("guarded");
    }
}
