package io.gregor.metadata.record;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclPermission;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.token.DelegationToken;
import io.gregor.metadata.image.ScramMechanism;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Function;

/**
 * The binary encoding of metadata records, shared by the local log and (later) the Raft log.
 *
 * <p>Layout of one record, big-endian: {@code type:int8, version:int8, fields...}. Strings are
 * {@code length:int32} then UTF-8 bytes, with length -1 for an absent optional string (config
 * values can be long lists, so no int16 limit); UUIDs are
 * two int64; int lists are {@code count:int32} then the ints; byte arrays are {@code length:int32}
 * then the bytes; doubles are the int64 of their IEEE 754 bits. Each record type starts at version
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
    private static final byte USER_SCRAM_CREDENTIAL = 9;
    private static final byte REMOVE_USER_SCRAM_CREDENTIAL = 10;
    private static final byte ACCESS_CONTROL_ENTRY = 11;
    private static final byte REMOVE_ACCESS_CONTROL_ENTRY = 12;
    private static final byte CLIENT_QUOTA = 13;
    private static final byte DELEGATION_TOKEN = 14;
    private static final byte REMOVE_DELEGATION_TOKEN = 15;

    private static final byte VERSION_0 = 0;
    /**
     * RegisterBrokerRecord v1 adds the incarnation id and the fenced flag; PartitionRecord v1 the
     * adding and removing replicas; PartitionChangeRecord v1 the replicas, adding and removing
     * replicas (each an optional list).
     */
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
            header(out, PARTITION, VERSION_1);
            out.writeUuid(r.topicId());
            out.writeInt(r.partition());
            out.writeIntList(r.replicas());
            out.writeIntList(r.isr());
            out.writeInt(r.leader());
            out.writeInt(r.leaderEpoch());
            out.writeInt(r.partitionEpoch());
            out.writeIntList(r.addingReplicas());
            out.writeIntList(r.removingReplicas());
        } else if (record instanceof PartitionChangeRecord r) {
            header(out, PARTITION_CHANGE, VERSION_1);
            out.writeUuid(r.topicId());
            out.writeInt(r.partition());
            writeOptionalIntList(out, r.isr());
            out.writeByte(r.leader().isPresent() ? 1 : 0);
            out.writeInt(r.leader().orElse(NO_LEADER_CHANGE));
            writeOptionalIntList(out, r.replicas());
            writeOptionalIntList(out, r.addingReplicas());
            writeOptionalIntList(out, r.removingReplicas());
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
        } else if (record instanceof UserScramCredentialRecord r) {
            header(out, USER_SCRAM_CREDENTIAL);
            out.writeString(r.name());
            out.writeByte(r.mechanism().type());
            out.writeBytes(r.credential().salt());
            out.writeBytes(r.credential().storedKey());
            out.writeBytes(r.credential().serverKey());
            out.writeInt(r.credential().iterations());
        } else if (record instanceof RemoveUserScramCredentialRecord r) {
            header(out, REMOVE_USER_SCRAM_CREDENTIAL);
            out.writeString(r.name());
            out.writeByte(r.mechanism().type());
        } else if (record instanceof AccessControlEntryRecord r) {
            header(out, ACCESS_CONTROL_ENTRY);
            out.writeUuid(r.id());
            AclBinding binding = r.binding();
            out.writeByte(binding.resourceType().code());
            out.writeString(binding.resourceName());
            out.writeByte(binding.patternType().code());
            out.writeString(binding.principal());
            out.writeString(binding.host());
            out.writeByte(binding.operation().code());
            out.writeByte(binding.permission().code());
        } else if (record instanceof RemoveAccessControlEntryRecord r) {
            header(out, REMOVE_ACCESS_CONTROL_ENTRY);
            out.writeUuid(r.id());
        } else if (record instanceof ClientQuotaRecord r) {
            header(out, CLIENT_QUOTA);
            writeEntityName(out, r.entity().user());
            writeEntityName(out, r.entity().clientId());
            out.writeString(r.key());
            out.writeByte(r.value().isPresent() ? 1 : 0);
            out.writeLong(Double.doubleToLongBits(r.value().orElse(0)));
        } else if (record instanceof DelegationTokenRecord r) {
            header(out, DELEGATION_TOKEN);
            DelegationToken token = r.token();
            out.writeString(token.tokenId());
            out.writeString(token.owner());
            out.writeString(token.requester());
            out.writeInt(token.renewers().size());
            token.renewers().forEach(out::writeString);
            out.writeLong(token.issueTimestamp());
            out.writeLong(token.maxTimestamp());
            out.writeLong(token.expiryTimestamp());
        } else if (record instanceof RemoveDelegationTokenRecord r) {
            header(out, REMOVE_DELEGATION_TOKEN);
            out.writeString(r.tokenId());
        } else {
            throw new IllegalArgumentException("no encoding for " + record.getClass().getName());
        }
        return out.toByteArray();
    }

    public static MetadataRecord deserialize(ByteBuffer bytes) {
        RecordInput in = new RecordInput(bytes.slice());
        byte type = in.readByte();
        byte version = in.readByte();
        boolean hasVersion1 = type == REGISTER_BROKER || type == PARTITION || type == PARTITION_CHANGE;
        if (version != VERSION_0 && !(hasVersion1 && version == VERSION_1)) {
            throw new CorruptMetadataException("metadata record type " + type + " has unknown version " + version);
        }
        MetadataRecord record = switch (type) {
            case REGISTER_BROKER -> readRegisterBroker(in, version);
            case BROKER_FENCING -> new BrokerFencingRecord(in.readInt(), in.readByte() == 1);
            case UNREGISTER_BROKER -> new UnregisterBrokerRecord(in.readInt());
            case TOPIC -> new TopicRecord(in.readString(), in.readUuid());
            case PARTITION -> readPartition(in, version);
            case PARTITION_CHANGE -> readPartitionChange(in, version);
            case CONFIG -> readConfig(in);
            case REMOVE_TOPIC -> new RemoveTopicRecord(in.readUuid());
            case FEATURE_LEVEL -> new FeatureLevelRecord(in.readString(), in.readShort());
            case USER_SCRAM_CREDENTIAL -> new UserScramCredentialRecord(in.readString(), readScramMechanism(in),
                    new ScramCredential(in.readBytes(), in.readBytes(), in.readBytes(), in.readInt()));
            case REMOVE_USER_SCRAM_CREDENTIAL -> new RemoveUserScramCredentialRecord(in.readString(),
                    readScramMechanism(in));
            case ACCESS_CONTROL_ENTRY -> readAccessControlEntry(in);
            case REMOVE_ACCESS_CONTROL_ENTRY -> new RemoveAccessControlEntryRecord(in.readUuid());
            case CLIENT_QUOTA -> readClientQuota(in);
            case DELEGATION_TOKEN -> readDelegationToken(in);
            case REMOVE_DELEGATION_TOKEN -> new RemoveDelegationTokenRecord(in.readString());
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

    private static PartitionRecord readPartition(RecordInput in, byte version) {
        var topicId = in.readUuid();
        int partition = in.readInt();
        List<Integer> replicas = in.readIntList();
        List<Integer> isr = in.readIntList();
        int leader = in.readInt();
        int leaderEpoch = in.readInt();
        int partitionEpoch = in.readInt();
        if (version == VERSION_0) {
            return new PartitionRecord(topicId, partition, replicas, isr, leader, leaderEpoch, partitionEpoch);
        }
        return new PartitionRecord(topicId, partition, replicas, isr, leader, leaderEpoch, partitionEpoch,
                in.readIntList(), in.readIntList());
    }

    private static PartitionChangeRecord readPartitionChange(RecordInput in, byte version) {
        var topicId = in.readUuid();
        int partition = in.readInt();
        Optional<List<Integer>> isr = readOptionalIntList(in);
        boolean leaderChanged = in.readByte() == 1;
        int leader = in.readInt();
        OptionalInt newLeader = leaderChanged ? OptionalInt.of(leader) : OptionalInt.empty();
        if (version == VERSION_0) {
            return new PartitionChangeRecord(topicId, partition, isr, newLeader);
        }
        return new PartitionChangeRecord(topicId, partition, isr, newLeader, readOptionalIntList(in),
                readOptionalIntList(in), readOptionalIntList(in));
    }

    private static void writeOptionalIntList(RecordOutput out, Optional<List<Integer>> values) {
        out.writeByte(values.isPresent() ? 1 : 0);
        values.ifPresent(out::writeIntList);
    }

    private static Optional<List<Integer>> readOptionalIntList(RecordInput in) {
        return in.readByte() == 1 ? Optional.of(in.readIntList()) : Optional.empty();
    }

    private static ConfigRecord readConfig(RecordInput in) {
        byte typeCode = in.readByte();
        ConfigResourceType type = ConfigResourceType.forCode(typeCode)
                .orElseThrow(() -> new CorruptMetadataException("unknown config resource type " + typeCode));
        return new ConfigRecord(new ConfigResource(type, in.readString()), in.readString(), in.readOptionalString());
    }

    private static ScramMechanism readScramMechanism(RecordInput in) {
        byte type = in.readByte();
        return ScramMechanism.forType(type)
                .orElseThrow(() -> new CorruptMetadataException("unknown SCRAM mechanism " + type));
    }

    private static AccessControlEntryRecord readAccessControlEntry(RecordInput in) {
        UUID id = in.readUuid();
        AclResourceType resourceType = readCode(in, AclResourceType::forCode, "ACL resource type");
        String resourceName = in.readString();
        AclPatternType patternType = readCode(in, AclPatternType::forCode, "ACL pattern type");
        String principal = in.readString();
        String host = in.readString();
        AclOperation operation = readCode(in, AclOperation::forCode, "ACL operation");
        AclPermission permission = readCode(in, AclPermission::forCode, "ACL permission");
        return new AccessControlEntryRecord(id, new AclBinding(resourceType, resourceName, patternType, principal,
                host, operation, permission));
    }

    /** An entity part: absent (0), or present (1) with its name, absent for the default. */
    private static void writeEntityName(RecordOutput out, Optional<ClientQuotaEntity.Name> name) {
        out.writeByte(name.isPresent() ? 1 : 0);
        name.ifPresent(present -> out.writeOptionalString(present.name()));
    }

    private static Optional<ClientQuotaEntity.Name> readEntityName(RecordInput in) {
        return in.readByte() == 1 ? Optional.of(new ClientQuotaEntity.Name(in.readOptionalString())) : Optional.empty();
    }

    private static ClientQuotaRecord readClientQuota(RecordInput in) {
        Optional<ClientQuotaEntity.Name> user = readEntityName(in);
        Optional<ClientQuotaEntity.Name> clientId = readEntityName(in);
        if (user.isEmpty() && clientId.isEmpty()) {
            throw new CorruptMetadataException("client quota record for an entity with neither user nor client id");
        }
        String key = in.readString();
        boolean present = in.readByte() == 1;
        double value = Double.longBitsToDouble(in.readLong());
        return new ClientQuotaRecord(new ClientQuotaEntity(user, clientId), key,
                present ? OptionalDouble.of(value) : OptionalDouble.empty());
    }

    private static DelegationTokenRecord readDelegationToken(RecordInput in) {
        String tokenId = in.readString();
        String owner = in.readString();
        String requester = in.readString();
        int count = in.readInt();
        if (count < 0) {
            throw new CorruptMetadataException("negative renewer count " + count);
        }
        List<String> renewers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            renewers.add(in.readString());
        }
        return new DelegationTokenRecord(new DelegationToken(tokenId, owner, requester, renewers, in.readLong(),
                in.readLong(), in.readLong()));
    }

    private static <T> T readCode(RecordInput in, Function<Byte, Optional<T>> forCode, String what) {
        byte code = in.readByte();
        return forCode.apply(code).orElseThrow(() -> new CorruptMetadataException("unknown " + what + " " + code));
    }
}
