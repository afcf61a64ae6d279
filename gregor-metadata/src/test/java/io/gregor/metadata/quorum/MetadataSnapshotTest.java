package io.gregor.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclPermission;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.ScramCredential;
import io.gregor.metadata.image.ScramMechanism;
import io.gregor.metadata.record.AccessControlEntryRecord;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.CorruptMetadataException;
import io.gregor.metadata.record.FeatureLevelRecord;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.RegisterBrokerRecord;
import io.gregor.metadata.record.RemoveAccessControlEntryRecord;
import io.gregor.metadata.record.RemoveTopicRecord;
import io.gregor.metadata.record.RemoveUserScramCredentialRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.metadata.record.UserScramCredentialRecord;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataSnapshotTest {
    private static final UUID ORDERS = new UUID(1, 1);
    private static final UUID GONE = new UUID(2, 2);

    private final List<MetadataRecord> log = List.of(
            new FeatureLevelRecord("metadata.version", (short) 1),
            new RegisterBrokerRecord(1, List.of(new BrokerEndpoint("PLAINTEXT", "a", 9092)), Optional.of("rack-1")),
            new RegisterBrokerRecord(2, List.of(new BrokerEndpoint("PLAINTEXT", "b", 9092)), Optional.empty()),
            new TopicRecord("orders", ORDERS),
            new PartitionRecord(ORDERS, 0, List.of(1, 2), List.of(1, 2), 1, 0, 0),
            new PartitionRecord(ORDERS, 1, List.of(2, 1), List.of(2, 1), 2, 0, 0),
            new PartitionChangeRecord(ORDERS, 0, Optional.of(List.of(2)), OptionalInt.of(2)),
            new ConfigRecord(ConfigResource.topic("orders"), "retention.ms", Optional.of("1000")),
            new ConfigRecord(ConfigResource.clusterDefaultBroker(), "log.retention.ms", Optional.of("5")),
            new TopicRecord("gone", GONE),
            new ConfigRecord(ConfigResource.topic("gone"), "retention.ms", Optional.of("1")),
            new RemoveTopicRecord(GONE),
            new UserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_256, credential(1)),
            new UserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_512, credential(2)),
            new UserScramCredentialRecord("bob", ScramMechanism.SCRAM_SHA_256, credential(3)),
            new UserScramCredentialRecord("bob", ScramMechanism.SCRAM_SHA_256, credential(4)),
            new RemoveUserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_512),
            new AccessControlEntryRecord(new UUID(3, 1), acl("orders", AclOperation.READ)),
            new AccessControlEntryRecord(new UUID(3, 2), acl("orders", AclOperation.WRITE)),
            new AccessControlEntryRecord(new UUID(3, 3), acl("gone", AclOperation.READ)),
            new RemoveAccessControlEntryRecord(new UUID(3, 1)));

    @Test
    void imageRebuiltFromItsRecordsEqualsTheImageWithTheSameNextOffset() {
        MetadataImage image = replay(log);

        MetadataSnapshot snapshot = MetadataSnapshot.of(image);
        MetadataImage rebuilt = snapshot.toDelta(image.clusterId()).apply();

        assertThat(snapshot.records()).hasSizeLessThan(log.size());
        assertThat(rebuilt).isEqualTo(image);
        assertThat(rebuilt.nextOffset()).isEqualTo(log.size());
        assertThat(rebuilt.topic("orders").orElseThrow().partition(0).orElseThrow().leaderEpoch()).isEqualTo(1);
        assertThat(rebuilt.scramCredential("bob", ScramMechanism.SCRAM_SHA_256)).contains(credential(4));
        assertThat(rebuilt.scramCredentials()).containsOnlyKeys("alice", "bob");
        assertThat(rebuilt.scramCredentials().get("alice")).containsOnlyKeys(ScramMechanism.SCRAM_SHA_256);
        assertThat(rebuilt.aclsImage().byId()).containsExactly(
                Map.entry(new UUID(3, 2), acl("orders", AclOperation.WRITE)),
                Map.entry(new UUID(3, 3), acl("gone", AclOperation.READ)));
    }

    @Test
    void snapshotFileRoundTripsAndDetectsCorruption() {
        MetadataSnapshot snapshot = MetadataSnapshot.of(replay(log));
        byte[] bytes = MetadataStateMachine.encodeSnapshot(snapshot);

        assertThat(MetadataStateMachine.decodeSnapshot(bytes, Path.of("snapshot.1_2"))).isEqualTo(snapshot);

        bytes[bytes.length - 1] ^= 1;
        assertThatThrownBy(() -> MetadataStateMachine.decodeSnapshot(bytes, Path.of("snapshot.1_2")))
                .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("CRC");
    }

    @Test
    void recordListWithTrailingBytesDoesNotDecode() {
        byte[] encoded = RecordListCodec.encode(log);
        assertThat(RecordListCodec.decode(ByteBuffer.wrap(encoded))).isEqualTo(log);

        ByteBuffer longer = ByteBuffer.allocate(encoded.length + 1).put(encoded).put((byte) 0).flip();
        assertThatThrownBy(() -> RecordListCodec.decode(longer)).isInstanceOf(CorruptMetadataException.class);
        assertThatThrownBy(() -> RecordListCodec.decode(ByteBuffer.wrap(encoded, 0, encoded.length - 1)))
                .isInstanceOf(CorruptMetadataException.class);
    }

    private static MetadataImage replay(List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        records.forEach(delta::replay);
        return delta.apply();
    }

    private static AclBinding acl(String topic, AclOperation operation) {
        return new AclBinding(AclResourceType.TOPIC, topic, AclPatternType.LITERAL, "User:alice", "*", operation,
                AclPermission.ALLOW);
    }

    private static ScramCredential credential(int seed) {
        return new ScramCredential(new byte[] {(byte) seed}, new byte[] {(byte) seed, 1}, new byte[] {(byte) seed, 2},
                4096 + seed);
    }
}
