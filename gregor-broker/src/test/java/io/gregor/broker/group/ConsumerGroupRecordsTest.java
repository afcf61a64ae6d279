package io.gregor.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConsumerGroupRecordsTest {
    private static final UUID TOPIC = new UUID(3, 4);

    @Test
    void memberRecordReadsBackWhatWasWritten() {
        ConsumerMember member = new ConsumerMember("m-1", new ConsumerMember.Subscription(Optional.of("instance"),
                Optional.empty(), "client", "/10.0.0.1", 30_000, List.of("orders", "payments"), Optional.of("ord.*"),
                Optional.of("range")),
                new MemberAssignment(5, 4, MemberAssignment.State.UNREVOKED_PARTITIONS, Map.of(TOPIC, Set.of(0, 1)),
                        Map.of(TOPIC, Set.of(2))));
        member.target(Map.of(TOPIC, Set.of(0, 1, 3)));
        member.temporarilyLeft(true);

        GroupRecords.Entry entry = decode(ConsumerGroupRecords.memberKey("g", "m-1"),
                ConsumerGroupRecords.memberValue(ConsumerGroupRecords.MemberValue.of(member)));

        assertThat(entry).isEqualTo(new ConsumerGroupRecords.MemberEntry("g", "m-1",
                Optional.of(ConsumerGroupRecords.MemberValue.of(member))));
    }

    @Test
    void groupRecordAndTombstonesReadBack() {
        ConsumerGroup group = new ConsumerGroup("g");
        group.epochs(7, 6);
        group.subscribedTopics(Map.of("orders", new SubscribableTopics.TopicInfo(TOPIC, "orders", 12)));

        GroupRecords.Entry entry = decode(ConsumerGroupRecords.groupKey("g"), ConsumerGroupRecords.groupValue(group));

        assertThat(entry).isEqualTo(new ConsumerGroupRecords.GroupEntry("g", Optional.of(
                new ConsumerGroupRecords.GroupValue(7, 6, group.subscribedTopics()))));
        assertThat(decode(ConsumerGroupRecords.groupKey("g"), null))
                .isEqualTo(new ConsumerGroupRecords.GroupEntry("g", Optional.empty()));
        assertThat(decode(ConsumerGroupRecords.memberKey("g", "m"), null))
                .isEqualTo(new ConsumerGroupRecords.MemberEntry("g", "m", Optional.empty()));
    }

    @Test
    void truncatedValueIsRejectedAsMalformed() {
        byte[] value = ConsumerGroupRecords.groupValue(new ConsumerGroup("g"));

        assertThatThrownBy(() -> decode(ConsumerGroupRecords.groupKey("g"), Arrays.copyOf(value, 5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static GroupRecords.Entry decode(byte[] key, byte[] value) {
        return GroupRecords.decode(ByteBuffer.wrap(key), Optional.ofNullable(value).map(ByteBuffer::wrap))
                .orElseThrow();
    }
}
