package io.gregor.metadata.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclPermission;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.quota.ClientQuotaEntity.Name;
import io.gregor.metadata.token.DelegationToken;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataRecordSerdeTest {
    private static final UUID TOPIC_ID = UUID.fromString("5f0b3a3c-8d59-4a0c-9e36-0d7c1b6f9a11");

    @Test
    void everyRecordTypeSurvivesARoundTrip() {
        List<MetadataRecord> records = List.of(
                new RegisterBrokerRecord(1, List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9092)),
                        Optional.of("rack-a")),
                new RegisterBrokerRecord(2, List.of(), Optional.empty()),
                new RegisterBrokerRecord(3, List.of(), Optional.of("r"), new java.util.UUID(5, 6), true),
                new BrokerFencingRecord(3, true),
                new BrokerFencingRecord(3, false),
                new UnregisterBrokerRecord(3),
                new TopicRecord("orders", TOPIC_ID),
                new PartitionRecord(TOPIC_ID, 3, List.of(1, 2), List.of(1), 1, 4, 7),
                new PartitionChangeRecord(TOPIC_ID, 3, Optional.of(List.of(1, 2)), OptionalInt.of(2)),
                new PartitionChangeRecord(TOPIC_ID, 3, Optional.empty(), OptionalInt.empty()),
                new PartitionRecord(TOPIC_ID, 3, List.of(4, 2, 1), List.of(1, 2), 1, 4, 7, List.of(4), List.of(1)),
                new PartitionChangeRecord(TOPIC_ID, 3, Optional.of(List.of(2, 4)), OptionalInt.of(4),
                        Optional.of(List.of(4, 2)), Optional.of(List.of()), Optional.of(List.of())),
                new PartitionChangeRecord(TOPIC_ID, 3, Optional.empty(), OptionalInt.empty(),
                        Optional.of(List.of(4, 2, 1)), Optional.of(List.of(4)), Optional.empty()),
                new ConfigRecord(ConfigResource.topic("orders"), "retention.ms", Optional.of("1000")),
                new ConfigRecord(ConfigResource.broker(1), "log.retention.ms", Optional.empty()),
                new ConfigRecord(ConfigResource.topic("orders"), "long.list", Optional.of("x,".repeat(40_000))),
                new RemoveTopicRecord(TOPIC_ID),
                new FeatureLevelRecord("metadata.version", (short) 27),
                new UserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_512,
                        new ScramCredential(new byte[] {1, 2, 3}, new byte[64], new byte[] {4}, 8192)),
                new UserScramCredentialRecord("", ScramMechanism.SCRAM_SHA_256,
                        new ScramCredential(new byte[0], new byte[0], new byte[0], 4096)),
                new RemoveUserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_256),
                new AccessControlEntryRecord(TOPIC_ID, new AclBinding(AclResourceType.TOPIC, "orders-",
                        AclPatternType.PREFIXED, "User:alice", "10.0.0.1", AclOperation.READ, AclPermission.ALLOW)),
                new AccessControlEntryRecord(new java.util.UUID(7, 8), new AclBinding(AclResourceType.CLUSTER,
                        "kafka-cluster", AclPatternType.LITERAL, "User:*", "*", AclOperation.ALTER, AclPermission.DENY)),
                new RemoveAccessControlEntryRecord(TOPIC_ID),
                new ClientQuotaRecord(ClientQuotaEntity.of(Name.of("alice"), Name.DEFAULT), "producer_byte_rate",
                        OptionalDouble.of(1024)),
                new ClientQuotaRecord(ClientQuotaEntity.clientId(Name.of("")), "consumer_byte_rate",
                        OptionalDouble.of(2.5e9)),
                new ClientQuotaRecord(ClientQuotaEntity.user(Name.DEFAULT), "producer_byte_rate",
                        OptionalDouble.empty()),
                new DelegationTokenRecord(new DelegationToken("tok-1", "User:alice", "User:admin",
                        List.of("User:bob", "User:carol"), 1_000, 3_000, 2_000)),
                new DelegationTokenRecord(new DelegationToken("tok-2", "User:alice", "User:alice", List.of(), 1, 2, 2)),
                new RemoveDelegationTokenRecord("tok-1"));

        for (MetadataRecord record : records) {
            byte[] bytes = MetadataRecordSerde.serialize(record);
            assertThat(MetadataRecordSerde.deserialize(ByteBuffer.wrap(bytes))).isEqualTo(record);
        }
    }

    @Test
    void brokerRegistrationOfVersion0ReadsAsUnfencedWithoutIncarnation() {
        byte[] v1 = MetadataRecordSerde.serialize(new RegisterBrokerRecord(1, List.of(), Optional.empty()));
        byte[] v0 = Arrays.copyOf(v1, v1.length - 17); // without incarnation id and fenced flag
        v0[1] = 0;

        assertThat(MetadataRecordSerde.deserialize(ByteBuffer.wrap(v0)))
                .isEqualTo(new RegisterBrokerRecord(1, List.of(), Optional.empty(), RegisterBrokerRecord.NO_INCARNATION,
                        false));
    }

    @Test
    void partitionRecordsOfVersion0ReadWithoutAReassignment() {
        byte[] v1 = MetadataRecordSerde.serialize(new PartitionRecord(TOPIC_ID, 3, List.of(1, 2), List.of(1), 1, 4, 7));
        byte[] v0 = Arrays.copyOf(v1, v1.length - 8); // without the two empty lists
        v0[1] = 0;
        assertThat(MetadataRecordSerde.deserialize(ByteBuffer.wrap(v0)))
                .isEqualTo(new PartitionRecord(TOPIC_ID, 3, List.of(1, 2), List.of(1), 1, 4, 7));

        PartitionChangeRecord change = new PartitionChangeRecord(TOPIC_ID, 3, Optional.of(List.of(1)),
                OptionalInt.of(1));
        byte[] changeV1 = MetadataRecordSerde.serialize(change);
        byte[] changeV0 = Arrays.copyOf(changeV1, changeV1.length - 3); // without three absent-list flags
        changeV0[1] = 0;
        assertThat(MetadataRecordSerde.deserialize(ByteBuffer.wrap(changeV0))).isEqualTo(change);
    }

    @Test
    void unknownRecordTypeIsCorruptRatherThanSkipped() {
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(ByteBuffer.wrap(new byte[] {99, 0})))
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("unknown metadata record type 99");
    }

    @Test
    void recordFromANewerVersionIsRefused() {
        byte[] bytes = MetadataRecordSerde.serialize(new RemoveTopicRecord(TOPIC_ID));
        bytes[1] = 5;
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(ByteBuffer.wrap(bytes)))
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("unknown version 5");
    }

    @Test
    void unknownScramMechanismIsCorrupt() {
        byte[] bytes = MetadataRecordSerde.serialize(new RemoveUserScramCredentialRecord("a", ScramMechanism.SCRAM_SHA_256));
        bytes[bytes.length - 1] = 7;
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(ByteBuffer.wrap(bytes)))
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("unknown SCRAM mechanism 7");
    }

    @Test
    void unknownAclOperationIsCorrupt() {
        byte[] bytes = MetadataRecordSerde.serialize(new AccessControlEntryRecord(TOPIC_ID, new AclBinding(
                AclResourceType.GROUP, "g", AclPatternType.LITERAL, "User:a", "*", AclOperation.READ,
                AclPermission.ALLOW)));
        bytes[bytes.length - 2] = 1; // ANY: a filter's operation, never an ACL's
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(ByteBuffer.wrap(bytes)))
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("unknown ACL operation 1");
    }

    @Test
    void truncatedRecordIsCorrupt() {
        byte[] bytes = MetadataRecordSerde.serialize(new TopicRecord("orders", TOPIC_ID));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> MetadataRecordSerde.deserialize(ByteBuffer.wrap(truncated)))
                .isInstanceOf(CorruptMetadataException.class);
    }
}
