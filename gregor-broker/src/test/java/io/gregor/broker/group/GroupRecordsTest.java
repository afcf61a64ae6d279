package io.gregor.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.protocol.api.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GroupRecordsTest {
    private static final TopicPartition PARTITION = new TopicPartition("orders", 3);

    @Test
    void committedOffsetRoundTrips() {
        CommittedOffset offset = new CommittedOffset(42, OptionalInt.of(7), Optional.of("meta"), 1_000);

        GroupRecords.Entry entry = decode(GroupRecords.offsetKey("g", PARTITION), GroupRecords.offsetValue(offset));

        assertThat(entry).isEqualTo(new GroupRecords.OffsetEntry("g", PARTITION, Optional.of(offset)));
    }

    @Test
    void offsetWithoutEpochOrMetadataRoundTrips() {
        CommittedOffset offset = new CommittedOffset(0, OptionalInt.empty(), Optional.empty(), 5);

        GroupRecords.Entry entry = decode(GroupRecords.offsetKey("g", PARTITION), GroupRecords.offsetValue(offset));

        assertThat(((GroupRecords.OffsetEntry) entry).offset()).contains(offset);
    }

    @Test
    void groupSnapshotRoundTrips() {
        GroupSnapshot.MemberSnapshot member = new GroupSnapshot.MemberSnapshot("m-1", Optional.of("instance"),
                "client", "/10.0.0.1", 30_000, 10_000, new byte[] {1, 2}, new byte[] {3});
        GroupSnapshot snapshot = new GroupSnapshot("consumer", 4, Optional.of("range"), Optional.of("m-1"),
                List.of(member));

        GroupRecords.GroupEntry entry = (GroupRecords.GroupEntry) decode(GroupRecords.groupKey("g"),
                GroupRecords.groupValue(snapshot));

        GroupSnapshot decoded = entry.group().orElseThrow();
        assertThat(decoded.protocolType()).isEqualTo("consumer");
        assertThat(decoded.generationId()).isEqualTo(4);
        assertThat(decoded.protocolName()).contains("range");
        assertThat(decoded.leaderId()).contains("m-1");
        assertThat(decoded.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo("m-1");
            assertThat(m.groupInstanceId()).contains("instance");
            assertThat(m.clientHost()).isEqualTo("/10.0.0.1");
            assertThat(m.rebalanceTimeoutMs()).isEqualTo(30_000);
            assertThat(m.sessionTimeoutMs()).isEqualTo(10_000);
            assertThat(m.subscription()).containsExactly(1, 2);
            assertThat(m.assignment()).containsExactly(3);
        });
    }

    @Test
    void nullValueIsATombstone() {
        GroupRecords.Entry entry = GroupRecords.decode(ByteBuffer.wrap(GroupRecords.groupKey("g")), Optional.empty())
                .orElseThrow();

        assertThat(entry).isEqualTo(new GroupRecords.GroupEntry("g", Optional.empty()));
    }

    @Test
    void keysOfOneGroupAndPartitionAreEqualSoCompactionKeepsTheLatest() {
        assertThat(GroupRecords.offsetKey("g", PARTITION)).isEqualTo(GroupRecords.offsetKey("g", PARTITION));
        assertThat(GroupRecords.offsetKey("g", PARTITION)).isNotEqualTo(GroupRecords.offsetKey("h", PARTITION));
    }

    @Test
    void unknownKeyTypeIsSkippedAndTruncatedKeyRejected() {
        ByteBuffer unknown = ByteBuffer.allocate(4).putShort((short) 99).putShort((short) 0).flip();
        assertThat(GroupRecords.decode(unknown, Optional.empty())).isEmpty();

        ByteBuffer truncated = ByteBuffer.wrap(new byte[] {0, 1, 0, 9});
        assertThatThrownBy(() -> GroupRecords.decode(truncated, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static GroupRecords.Entry decode(byte[] key, byte[] value) {
        return GroupRecords.decode(ByteBuffer.wrap(key), Optional.of(ByteBuffer.wrap(value))).orElseThrow();
    }
}
