package io.gregor.broker.group;

import io.gregor.protocol.api.TopicPartition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Gregor's encoding of the records in {@code __consumer_offsets}. The key says what the
 * record is about, so that compaction (keeping the last value per key) keeps exactly the
 * latest state; a null value is a tombstone.
 *
 * <pre>
 * key    := int16 type, string group [, string topic, int32 partition]   (type 1 = offset, 2 = group;
 *           3 and 4, consumer-protocol groups and members, are in ConsumerGroupRecords)
 * offset := int16 version(0), int64 offset, int32 leaderEpoch (-1 none), nullable string metadata,
 *           int64 commitTimestamp
 * group  := int16 version(0), string protocolType, int32 generation, nullable string protocol,
 *           nullable string leader, int32 count, count * member
 * member := string memberId, nullable string instanceId, string clientId, string clientHost,
 *           int32 rebalanceTimeout, int32 sessionTimeout, bytes subscription, bytes assignment
 * string := int16 length (-1 null) + UTF-8;  bytes := int32 length + bytes
 * </pre>
 *
 * <p>The layout is our own, not Kafka's: the topic is only read by Gregor.
 */
public final class GroupRecords {
    static final short OFFSET_KEY = 1;
    static final short GROUP_KEY = 2;
    private static final short VALUE_VERSION = 0;
    private static final int NO_EPOCH = -1;

    private GroupRecords() {
    }

    /** A decoded record of the offsets topic. */
    public sealed interface Entry permits OffsetEntry, GroupEntry, ConsumerGroupRecords.GroupEntry,
            ConsumerGroupRecords.MemberEntry {
        String groupId();
    }

    /** A committed offset; empty when the offset was deleted. */
    public record OffsetEntry(String groupId, TopicPartition partition, Optional<CommittedOffset> offset)
            implements Entry {
    }

    /** A group's membership; empty when the group was deleted. */
    public record GroupEntry(String groupId, Optional<GroupSnapshot> group) implements Entry {
    }

    public static byte[] offsetKey(String groupId, TopicPartition partition) {
        Writer writer = new Writer();
        writer.int16(OFFSET_KEY).string(groupId).string(partition.topic()).int32(partition.partition());
        return writer.toArray();
    }

    public static byte[] groupKey(String groupId) {
        return new Writer().int16(GROUP_KEY).string(groupId).toArray();
    }

    public static byte[] offsetValue(CommittedOffset offset) {
        return new Writer().int16(VALUE_VERSION)
                .int64(offset.offset())
                .int32(offset.leaderEpoch().orElse(NO_EPOCH))
                .string(offset.metadata().orElse(null))
                .int64(offset.commitTimestampMs())
                .toArray();
    }

    public static byte[] groupValue(GroupSnapshot group) {
        Writer writer = new Writer().int16(VALUE_VERSION)
                .string(group.protocolType())
                .int32(group.generationId())
                .string(group.protocolName().orElse(null))
                .string(group.leaderId().orElse(null))
                .int32(group.members().size());
        for (GroupSnapshot.MemberSnapshot member : group.members()) {
            writer.string(member.memberId())
                    .string(member.groupInstanceId().orElse(null))
                    .string(member.clientId())
                    .string(member.clientHost())
                    .int32(member.rebalanceTimeoutMs())
                    .int32(member.sessionTimeoutMs())
                    .bytes(member.subscription())
                    .bytes(member.assignment());
        }
        return writer.toArray();
    }

    /**
     * Decodes one record; empty for a key type this version does not know (a newer broker's
     * record is skipped rather than failing the load).
     *
     * @throws IllegalArgumentException if the record is malformed
     */
    public static Optional<Entry> decode(ByteBuffer key, Optional<ByteBuffer> value) {
        try {
            ByteBuffer k = key.duplicate();
            short type = k.getShort();
            String groupId = string(k);
            if (type == OFFSET_KEY) {
                TopicPartition partition = new TopicPartition(string(k), k.getInt());
                return Optional.of(new OffsetEntry(groupId, partition, value.map(GroupRecords::offset)));
            }
            if (type == GROUP_KEY) {
                return Optional.of(new GroupEntry(groupId, value.map(GroupRecords::group)));
            }
            if (type == ConsumerGroupRecords.CONSUMER_GROUP_KEY || type == ConsumerGroupRecords.CONSUMER_MEMBER_KEY) {
                return Optional.of(ConsumerGroupRecords.decode(type, groupId, k, value));
            }
            return Optional.empty();
        } catch (BufferUnderflowException | NullPointerException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("Malformed __consumer_offsets record", e);
        }
    }

    private static CommittedOffset offset(ByteBuffer value) {
        ByteBuffer v = value.duplicate();
        v.getShort();
        long offset = v.getLong();
        int epoch = v.getInt();
        Optional<String> metadata = Optional.ofNullable(string(v));
        long timestamp = v.getLong();
        return new CommittedOffset(offset, epoch == NO_EPOCH ? OptionalInt.empty() : OptionalInt.of(epoch),
                metadata, timestamp);
    }

    private static GroupSnapshot group(ByteBuffer value) {
        ByteBuffer v = value.duplicate();
        v.getShort();
        String protocolType = string(v);
        int generation = v.getInt();
        Optional<String> protocol = Optional.ofNullable(string(v));
        Optional<String> leader = Optional.ofNullable(string(v));
        int count = v.getInt();
        List<GroupSnapshot.MemberSnapshot> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(new GroupSnapshot.MemberSnapshot(string(v), Optional.ofNullable(string(v)), string(v),
                    string(v), v.getInt(), v.getInt(), bytes(v), bytes(v)));
        }
        return new GroupSnapshot(protocolType, generation, protocol, leader, members);
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

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return bytes;
    }

    /** A growable big-endian writer for the few fields above. */
    private static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(64);

        Writer int16(short value) {
            ensure(2).putShort(value);
            return this;
        }

        Writer int32(int value) {
            ensure(4).putInt(value);
            return this;
        }

        Writer int64(long value) {
            ensure(8).putLong(value);
            return this;
        }

        Writer string(String value) {
            if (value == null) {
                return int16((short) -1);
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("String of " + bytes.length + " bytes is too long");
            }
            int16((short) bytes.length);
            ensure(bytes.length).put(bytes);
            return this;
        }

        Writer bytes(byte[] value) {
            int32(value.length);
            ensure(value.length).put(value);
            return this;
        }

        private ByteBuffer ensure(int more) {
            if (buffer.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            return buffer;
        }

        byte[] toArray() {
            byte[] array = new byte[buffer.position()];
            buffer.flip();
            buffer.get(array);
            return array;
        }
    }
}
