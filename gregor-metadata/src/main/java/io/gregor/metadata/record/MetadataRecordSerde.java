package io.gregor.metadata.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The binary encoding of metadata records, shared by the local log and (later) the Raft log.
 *
 * <p>Layout of one record, big-endian: {@code type:int8, version:int8, fields...}. Strings are
 * {@code length:int32} then UTF-8 bytes, with length -1 for an absent optional string (config
 * values can be long lists, so no int16 limit); UUIDs are
 * two int64; int lists are {@code count:int32} then the ints. Each record type starts at version
 * 0; a change of fields adds a version and keeps reading the old ones, so logs written by older
 * releases replay. Unknown types or versions are a {@link CorruptMetadataException}: replaying a
 * record we do not understand would silently diverge from the cluster.
 */
public final class MetadataRecordSerde {
    private static final byte REGISTER_BROKER = 0;
    private static final byte TOPIC = 1;
    private static final byte PARTITION = 2;
    private static final byte PARTITION_CHANGE = 3;
    private static final byte CONFIG = 4;
    private static final byte REMOVE_TOPIC = 5;
    private static final byte FEATURE_LEVEL = 6;
    private static final byte BROKER_FENCING = 7;
    private static final byte UNREGISTER_BROKER = 8;

    private static final byte VERSION_0 = 0;
    /** RegisterBrokerRecord v1 adds the incarnation id and the fenced flag. */
    private static final byte VERSION_1 = 1;
    private static final int NO_LEADER_CHANGE = -2;

    private MetadataRecordSerde() {
    }

    public static byte[] serialize(MetadataRecord record) {
        RecordOutput out = new RecordOutput();
        if (record instanceof RegisterBrokerRecord r) {
            header(out, REGISTER_BROKER, VERSION_1);
            out.writeInt(r.brokerId());
            out.writeInt(r.endpoints().size());
            for (BrokerEndpoint endpoint : r.endpoints()) {
                out.writeString(endpoint.listenerName());
                out.writeString(endpoint.host());
                out.writeInt(endpoint.port());
            }
            out.writeOptionalString(r.rack());
            out.writeUuid(r.incarnationId());
            out.writeByte(r.fenced() ? 1 : 0);
        } else if (record instanceof BrokerFencingRecord r) {
            header(out, BROKER_FENCING);
            out.writeInt(r.brokerId());
            out.writeByte(r.fenced() ? 1 : 0);
        } else if (record instanceof UnregisterBrokerRecord r) {
            header(out, UNREGISTER_BROKER);
            out.writeInt(r.brokerId());
        } else if (record instanceof TopicRecord r) {
            header(out, TOPIC);
            out.writeString(r.name());
            out.writeUuid(r.topicId());
        } else if (record instanceof PartitionRecord r) {
            header(out, PARTITION);
            out.writeUuid(r.topicId());
            out.writeInt(r.partition());
            out.writeIntList(r.replicas());
            out.writeIntList(r.isr());
            out.writeInt(r.leader());
            out.writeInt(r.leaderEpoch());
            out.writeInt(r.partitionEpoch());
        } else if (record instanceof PartitionChangeRecord r) {
            header(out, PARTITION_CHANGE);
            out.writeUuid(r.topicId());
            out.writeInt(r.partition());
            out.writeByte(r.isr().isPresent() ? 1 : 0);
            r.isr().ifPresent(out::writeIntList);
            out.writeByte(r.leader().isPresent() ? 1 : 0);
            out.writeInt(r.leader().orElse(NO_LEADER_CHANGE));
        } else if (record instanceof ConfigRecord r) {
            header(out, CONFIG);
            out.writeByte(r.resource().type().code());
            out.writeString(r.resource().name());
            out.writeString(r.key());
            out.writeOptionalString(r.value());
        } else if (record instanceof RemoveTopicRecord r) {
            header(out, REMOVE_TOPIC);
            out.writeUuid(r.topicId());
        } else if (record instanceof FeatureLevelRecord r) {
            header(out, FEATURE_LEVEL);
            out.writeString(r.name());
            out.writeShort(r.level());
        } else {
            throw new IllegalArgumentException("no encoding for " + record.getClass().getName());
        }
        return out.toByteArray();
    }

    public static MetadataRecord deserialize(ByteBuffer bytes) {
        RecordInput in = new RecordInput(bytes.slice());
        byte type = in.readByte();
        byte version = in.readByte();
        if (version != VERSION_0 && !(type == REGISTER_BROKER && version == VERSION_1)) {
            throw new CorruptMetadataException("metadata record type " + type + " has unknown version " + version);
        }
        MetadataRecord record = switch (type) {
            case REGISTER_BROKER -> readRegisterBroker(in, version);
            case BROKER_FENCING -> new BrokerFencingRecord(in.readInt(), in.readByte() == 1);
            case UNREGISTER_BROKER -> new UnregisterBrokerRecord(in.readInt());
            case TOPIC -> new TopicRecord(in.readString(), in.readUuid());
            case PARTITION -> new PartitionRecord(in.readUuid(), in.readInt(), in.readIntList(), in.readIntList(),
                    in.readInt(), in.readInt(), in.readInt());
            case PARTITION_CHANGE -> readPartitionChange(in);
            case CONFIG -> readConfig(in);
            case REMOVE_TOPIC -> new RemoveTopicRecord(in.readUuid());
            case FEATURE_LEVEL -> new FeatureLevelRecord(in.readString(), in.readShort());
            default -> throw new CorruptMetadataException("unknown metadata record type " + type);
        };
        if (in.hasRemaining()) {
            throw new CorruptMetadataException("trailing bytes after metadata record " + record);
        }
        return record;
    }

    private static void header(RecordOutput out, byte type) {
        header(out, type, VERSION_0);
    }

    private static void header(RecordOutput out, byte type, byte version) {
        out.writeByte(type);
        out.writeByte(version);
    }

    private static RegisterBrokerRecord readRegisterBroker(RecordInput in, byte version) {
        int brokerId = in.readInt();
        int count = in.readInt();
        if (count < 0) {
            throw new CorruptMetadataException("negative endpoint count " + count);
        }
        List<BrokerEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            endpoints.add(new BrokerEndpoint(in.readString(), in.readString(), in.readInt()));
        }
        Optional<String> rack = in.readOptionalString();
        if (version == VERSION_0) {
            return new RegisterBrokerRecord(brokerId, endpoints, rack);
        }
        return new RegisterBrokerRecord(brokerId, endpoints, rack, in.readUuid(), in.readByte() == 1);
    }

    private static PartitionChangeRecord readPartitionChange(RecordInput in) {
        var topicId = in.readUuid();
        int partition = in.readInt();
        Optional<List<Integer>> isr = in.readByte() == 1 ? Optional.of(in.readIntList()) : Optional.empty();
        boolean leaderChanged = in.readByte() == 1;
        int leader = in.readInt();
        return new PartitionChangeRecord(topicId, partition, isr,
                leaderChanged ? OptionalInt.of(leader) : OptionalInt.empty());
    }

    private static ConfigRecord readConfig(RecordInput in) {
        byte typeCode = in.readByte();
        ConfigResourceType type = ConfigResourceType.forCode(typeCode)
                .orElseThrow(() -> new CorruptMetadataException("unknown config resource type " + typeCode));
        return new ConfigRecord(new ConfigResource(type, in.readString()), in.readString(), in.readOptionalString());
    }
}
