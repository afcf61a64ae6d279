package io.gregor.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.wire.ByteBufferWriter;
import io.gregor.protocol.wire.InvalidMessageException;
import io.gregor.protocol.wire.Readable;
import io.gregor.protocol.wire.UnsupportedVersionException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.junit.jupiter.api.Test;

class VersionRulesTest {
    private static byte[] write(io.gregor.protocol.wire.Message message, int version) {
        ByteBufferWriter out = new ByteBufferWriter();
        message.write(out, (short) version);
        return out.toByteArray();
    }

    @Test
    void writingANonDefaultFieldTheVersionLacksIsRefused() {
        FetchResponse.PartitionData partition = new FetchResponse.PartitionData().setPreferredReadReplica(3);

        assertThatThrownBy(() -> write(partition, 10))
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("PreferredReadReplica");
        assertThat(write(partition.setPreferredReadReplica(-1), 10)).isNotEmpty();
    }

    @Test
    void ignorableFieldsTheVersionLacksAreDropped() {
        MetadataResponse response = new MetadataResponse().setThrottleTimeMs(100).setClusterId("c1");

        assertThat(write(response, 0)).isEqualTo(write(new MetadataResponse(), 0));
    }

    @Test
    void versionsOutsideTheRangeAreRefusedBothWays() {
        ProduceRequest request = new ProduceRequest();

        assertThatThrownBy(() -> write(request, ProduceRequest.HIGHEST_SUPPORTED_VERSION + 1))
                .isInstanceOf(UnsupportedVersionException.class);
        assertThatThrownBy(() -> request.read(new Readable(ByteBuffer.allocate(64)), (short) (ProduceRequest.LOWEST_SUPPORTED_VERSION - 1)))
                .isInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void nullIsRefusedWhereTheVersionDoesNotAllowIt() {
        ProduceRequest request = new ProduceRequest().setTransactionalId(null).setTopicData(null);

        assertThatThrownBy(() -> write(request, 9)).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("TopicData");
    }

    @Test
    void readingANullArrayWhereNotNullableIsInvalid() {
        // ApiVersionsResponse v0: error code, then the ApiKeys array with length -1.
        ByteBuffer bytes = ByteBuffer.allocate(6).putShort((short) 0).putInt(-1).flip();

        assertThatThrownBy(() -> new ApiVersionsResponse().read(new Readable(bytes), (short) 0))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void aHostileArrayLengthFailsOnTheMissingBytesInsteadOfAllocatingForIt() {
        ByteBuffer bytes = ByteBuffer.allocate(12).putShort((short) 0).putInt(Integer.MAX_VALUE).putShort((short) 1).flip();

        assertThatThrownBy(() -> new ApiVersionsResponse().read(new Readable(bytes), (short) 0))
                .isInstanceOf(BufferUnderflowException.class);
    }

    @Test
    void unknownTaggedFieldsAreSkippedOnRead() {
        ApiVersionsResponseData kafka = new ApiVersionsResponseData().setErrorCode((short) 35).setThrottleTimeMs(7);
        kafka.unknownTaggedFields().add(new RawTaggedField(99, new byte[] {1, 2, 3}));
        byte[] bytes = KafkaCompatibilityTest.kafkaWrite(kafka, (short) 3);

        ApiVersionsResponse ours = new ApiVersionsResponse();
        Readable in = new Readable(ByteBuffer.wrap(bytes));
        ours.read(in, (short) 3);

        assertThat(in.remaining()).isZero();
        assertThat(ours.errorCode()).isEqualTo((short) 35);
        assertThat(ours.throttleTimeMs()).isEqualTo(7);
    }

    @Test
    void taggedFieldsAreWrittenOnlyWhenTheyDifferFromTheirDefault() {
        ApiVersionsResponse response = new ApiVersionsResponse();
        int plain = write(response, 3).length;

        response.setZkMigrationReady(true);

        assertThat(write(response, 3).length).isEqualTo(plain + 3);
        assertThat(new ApiVersionsResponse().hasOnlyDefaults()).isTrue();
        assertThat(response.hasOnlyDefaults()).isFalse();
    }

    @Test
    void recordsAreReadAsASliceOfTheInputWithoutCopying() {
        byte[] batch = {9, 8, 7, 6, 5};
        ProduceRequest request = new ProduceRequest().setTopicData(List.of(new ProduceRequest.TopicProduceData()
                .setName("t").setPartitionData(List.of(new ProduceRequest.PartitionProduceData()
                        .setIndex(0).setRecords(new MemoryRecords(ByteBuffer.wrap(batch)))))));
        byte[] frame = write(request, 9);
        int batchAt = indexOf(frame, batch);

        ProduceRequest decoded = new ProduceRequest();
        decoded.read(new Readable(ByteBuffer.wrap(frame)), (short) 9);
        MemoryRecords records = (MemoryRecords) decoded.topicData().get(0).partitionData().get(0).records();
        frame[batchAt] = 42;

        assertThat(records.sizeInBytes()).isEqualTo(batch.length);
        assertThat(records.buffer().get(0)).as("shares the frame's memory").isEqualTo((byte) 42);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void equalMessagesAreEqualAndHashAlike() {
        MetadataRequest a = new MetadataRequest().setTopics(List.of(new MetadataRequest.MetadataRequestTopic().setName("x")));
        MetadataRequest b = new MetadataRequest().setTopics(List.of(new MetadataRequest.MetadataRequestTopic().setName("x")));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(b.setAllowAutoTopicCreation(false));
        assertThat(a.toString()).contains("name=x");
    }
}
