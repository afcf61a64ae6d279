package io.gregor.broker.group;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The records of consumer-protocol groups in {@code __consumer_offsets}, next to the classic
 * ones of {@link GroupRecords} and keyed the same way, so that compaction keeps each group's
 * and each member's latest state; a null value is a tombstone (group deleted, member gone).
 *
 * <pre>
 * key    := int16 type, string group [, string memberId]       (type 3 = consumer group, 4 = member)
 * group  := int16 version(0), int32 groupEpoch, int32 assignmentEpoch,
 *           int32 count, count * (string topic, uuid id, int32 partitions)    -- the subscribed topics
 * member := int16 version(0), nullable string instanceId, nullable string rackId, string clientId,
 *           string clientHost, int32 rebalanceTimeout, int32 count, count * string topic,
 *           nullable string regex, nullable string serverAssignor, int8 temporarilyLeft,
 *           int32 epoch, int32 previousEpoch, int8 state,
 *           assignment assigned, assignment pendingRevocation, assignment target
 * assignment := int32 count, count * (uuid topicId, int32 n, n * int32 partition)
 * uuid   := int64 most significant bits, int64 least significant bits
 * </pre>
 */
final class ConsumerGroupRecords {
    static final short CONSUMER_GROUP_KEY = 3;
    static final short CONSUMER_MEMBER_KEY = 4;
    private static final short VALUE_VERSION = 0;

    private ConsumerGroupRecords() {
    }

    /** A consumer group's epochs and subscribed topics; empty when the group was deleted. */
    record GroupEntry(String groupId, Optional<GroupValue> group) implements GroupRecords.Entry {
    }

    record GroupValue(int groupEpoch, int assignmentEpoch, Map<String, SubscribableTopics.TopicInfo> topics) {
    }

    /** A member of a consumer group; empty when it left or was fenced. */
    record MemberEntry(String groupId, String memberId, Optional<MemberValue> member) implements GroupRecords.Entry {
    }

    record MemberValue(ConsumerMember.Subscription subscription, boolean temporarilyLeft, MemberAssignment assignment,
                       Map<UUID, Set<Integer>> target) {
        static MemberValue of(ConsumerMember member) {
            return new MemberValue(member.subscription(), member.temporarilyLeft(), member.assignment(),
                    member.target());
        }
    }

    static byte[] groupKey(String groupId) {
        Out out = new Out();
        out.int16(CONSUMER_GROUP_KEY).string(groupId);
        return out.toArray();
    }

    static byte[] memberKey(String groupId, String memberId) {
        Out out = new Out();
        out.int16(CONSUMER_MEMBER_KEY).string(groupId).string(memberId);
        return out.toArray();
    }

    static byte[] groupValue(ConsumerGroup group) {
        Out out = new Out();
        out.int16(VALUE_VERSION).int32(group.groupEpoch()).int32(group.assignmentEpoch())
                .int32(group.subscribedTopics().size());
        new TreeMap<>(group.subscribedTopics()).forEach((name, topic) ->
                out.string(name).uuid(topic.id()).int32(topic.partitions()));
        return out.toArray();
    }

    static byte[] memberValue(MemberValue member) {
        ConsumerMember.Subscription s = member.subscription();
        Out out = new Out();
        out.int16(VALUE_VERSION).string(s.instanceId().orElse(null)).string(s.rackId().orElse(null))
                .string(s.clientId()).string(s.clientHost()).int32(s.rebalanceTimeoutMs())
                .int32(s.topicNames().size());
        s.topicNames().forEach(out::string);
        out.string(s.topicRegex().orElse(null)).string(s.serverAssignor().orElse(null))
                .int8(member.temporarilyLeft() ? 1 : 0)
                .int32(member.assignment().epoch()).int32(member.assignment().previousEpoch())
                .int8(member.assignment().state().ordinal())
                .assignment(member.assignment().assigned()).assignment(member.assignment().pendingRevocation())
                .assignment(member.target());
        return out.toArray();
    }

    /** Decodes a record whose key type is one of ours; {@code key} is positioned after the group id. */
    static GroupRecords.Entry decode(short type, String groupId, ByteBuffer key, Optional<ByteBuffer> value) {
        if (type == CONSUMER_GROUP_KEY) {
            return new GroupEntry(groupId, value.map(ConsumerGroupRecords::group));
        }
        return new MemberEntry(groupId, string(key), value.map(ConsumerGroupRecords::member));
    }

    private static GroupValue group(ByteBuffer value) {
        ByteBuffer v = value.duplicate();
        v.getShort();
        int groupEpoch = v.getInt();
        int assignmentEpoch = v.getInt();
        int count = v.getInt();
        Map<String, SubscribableTopics.TopicInfo> topics = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = string(v);
            topics.put(name, new SubscribableTopics.TopicInfo(uuid(v), name, v.getInt()));
        }
        return new GroupValue(groupEpoch, assignmentEpoch, topics);
    }

    private static MemberValue member(ByteBuffer value) {
        ByteBuffer v = value.duplicate();
        v.getShort();
        Optional<String> instanceId = Optional.ofNullable(string(v));
        Optional<String> rackId = Optional.ofNullable(string(v));
        String clientId = string(v);
        String clientHost = string(v);
        int rebalanceTimeoutMs = v.getInt();
        int count = v.getInt();
        List<String> topics = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            topics.add(string(v));
        }
        Optional<String> regex = Optional.ofNullable(string(v));
        Optional<String> assignor = Optional.ofNullable(string(v));
        boolean temporarilyLeft = v.get() != 0;
        int epoch = v.getInt();
        int previousEpoch = v.getInt();
        MemberAssignment.State state = MemberAssignment.State.values()[v.get()];
        Map<UUID, Set<Integer>> assigned = assignment(v);
        Map<UUID, Set<Integer>> pending = assignment(v);
        Map<UUID, Set<Integer>> target = assignment(v);
        return new MemberValue(new ConsumerMember.Subscription(instanceId, rackId, clientId, clientHost,
                rebalanceTimeoutMs, topics, regex, assignor), temporarilyLeft,
                new MemberAssignment(epoch, previousEpoch, state, assigned, pending), target);
    }

    private static Map<UUID, Set<Integer>> assignment(ByteBuffer v) {
        int topics = v.getInt();
        Map<UUID, Set<Integer>> result = new TreeMap<>();
        for (int i = 0; i < topics; i++) {
            UUID topic = uuid(v);
            int count = v.getInt();
            Set<Integer> partitions = new TreeSet<>();
            for (int p = 0; p < count; p++) {
                partitions.add(v.getInt());
            }
            result.put(topic, partitions);
        }
        return result;
    }

    private static UUID uuid(ByteBuffer v) {
        return new UUID(v.getLong(), v.getLong());
    }

    private static String string(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A big-endian writer for the fields above. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Out int8(int value) {
            return write(() -> out.writeByte(value));
        }

        Out int16(short value) {
            return write(() -> out.writeShort(value));
        }

        Out int32(int value) {
            return write(() -> out.writeInt(value));
        }

        Out uuid(UUID value) {
            return write(() -> {
                out.writeLong(value.getMostSignificantBits());
                out.writeLong(value.getLeastSignificantBits());
            });
        }

        Out string(String value) {
            return write(() -> {
                if (value == null) {
                    out.writeShort(-1);
                    return;
                }
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                if (utf8.length > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("String of " + utf8.length + " bytes is too long");
                }
                out.writeShort(utf8.length);
                out.write(utf8);
            });
        }

        Out assignment(Map<UUID, Set<Integer>> assignment) {
            int32(assignment.size());
            new TreeMap<>(assignment).forEach((topic, partitions) -> {
                uuid(topic).int32(partitions.size());
                new TreeSet<>(partitions).forEach(this::int32);
            });
            return this;
        }

        private interface Write {
            void run() throws IOException;
        }

        private Out write(Write write) {
            try {
                write.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        byte[] toArray() {
            return bytes.toByteArray();
        }
    }
}
