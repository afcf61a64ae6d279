package io.gregor.metadata.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclPatternType;
import io.gregor.metadata.acl.AclPermission;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.record.AccessControlEntryRecord;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.RemoveAccessControlEntryRecord;
import io.gregor.metadata.record.RemoveTopicRecord;
import io.gregor.metadata.record.RemoveUserScramCredentialRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.metadata.record.UserScramCredentialRecord;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataDeltaTest {
    private static final UUID ORDERS = new UUID(1, 1);
    private static final AclBinding READ_ORDERS = new AclBinding(AclResourceType.TOPIC, "orders",
            AclPatternType.LITERAL, "User:alice", "*", AclOperation.READ, AclPermission.ALLOW);
    private static final AclBinding WRITE_ORDERS = new AclBinding(AclResourceType.TOPIC, "orders",
            AclPatternType.LITERAL, "User:alice", "*", AclOperation.WRITE, AclPermission.ALLOW);

    @Test
    void topicIsFoundByNameAndIdWithItsPartitions() {
        MetadataImage image = withOrders();

        assertThat(image.topic("orders")).map(TopicImage::id).contains(ORDERS);
        assertThat(image.topic(ORDERS)).map(TopicImage::partitionCount).contains(2);
        assertThat(image.configs(ConfigResource.topic("orders"))).containsEntry("retention.ms", "1000");
        assertThat(image.nextOffset()).isEqualTo(4);
    }

    @Test
    void deltaReportsCreatedTopicsAndChangedPartitions() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new TopicRecord("orders", ORDERS));
        delta.replay(new PartitionRecord(ORDERS, 0, List.of(1), List.of(1), 1, 0, 0));

        assertThat(delta.createdTopics()).containsOnlyKeys(ORDERS);
        assertThat(delta.changedPartitions()).containsExactly(new TopicIdPartition(ORDERS, 0));
    }

    @Test
    void removingATopicDropsItsPartitionsAndConfigs() {
        MetadataDelta delta = new MetadataDelta(withOrders());
        delta.replay(new RemoveTopicRecord(ORDERS));
        MetadataImage image = delta.apply();

        assertThat(image.topic("orders")).isEmpty();
        assertThat(image.topic(ORDERS)).isEmpty();
        assertThat(image.configs(ConfigResource.topic("orders"))).isEmpty();
        assertThat(delta.deletedTopics()).containsOnlyKeys(ORDERS);
        assertThat(delta.changedPartitions()).isEmpty();
    }

    @Test
    void leaderChangeBumpsLeaderEpochAndPartitionEpoch() {
        MetadataDelta delta = new MetadataDelta(withOrders());
        delta.replay(new PartitionChangeRecord(ORDERS, 0, Optional.of(List.of(2)), OptionalInt.of(2)));
        delta.replay(new PartitionChangeRecord(ORDERS, 1, Optional.of(List.of(1)), OptionalInt.empty()));
        TopicImage topic = delta.apply().topic(ORDERS).orElseThrow();

        assertThat(topic.partition(0).orElseThrow())
                .extracting(PartitionImage::leader, PartitionImage::leaderEpoch, PartitionImage::partitionEpoch)
                .containsExactly(2, 1, 1);
        assertThat(topic.partition(1).orElseThrow())
                .extracting(PartitionImage::leader, PartitionImage::leaderEpoch, PartitionImage::partitionEpoch)
                .containsExactly(2, 0, 1);
    }

    @Test
    void replicasOnUnregisteredBrokersAreOffline() {
        PartitionImage partition = withOrders().topic(ORDERS).orElseThrow().partition(0).orElseThrow();

        assertThat(partition.offlineReplicas(java.util.Set.of(1))).containsExactly(2);
        assertThat(partition.offlineReplicas(java.util.Set.of(1, 2))).isEmpty();
    }

    @Test
    void secondTopicWithTheSameNameIsRefusedOnReplay() {
        MetadataDelta delta = new MetadataDelta(withOrders());
        assertThatThrownBy(() -> delta.replay(new TopicRecord("orders", new UUID(2, 2))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void imagesAreImmutable() {
        MetadataImage image = withOrders();
        assertThatThrownBy(() -> image.topicsByName().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> image.configs(ConfigResource.topic("orders")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void scramCredentialsAreReplacedPerMechanismAndUsersWithoutAnyLeaveTheImage() {
        ScramCredential first = new ScramCredential(new byte[] {1}, new byte[] {2}, new byte[] {3}, 4096);
        ScramCredential second = new ScramCredential(new byte[] {4}, new byte[] {5}, new byte[] {6}, 8192);
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new UserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_256, first));
        delta.replay(new UserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_512, first));
        delta.replay(new UserScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_256, second));
        delta.replay(new UserScramCredentialRecord("bob", ScramMechanism.SCRAM_SHA_256, first));
        delta.replay(new RemoveUserScramCredentialRecord("bob", ScramMechanism.SCRAM_SHA_256));
        MetadataImage image = delta.apply();

        assertThat(image.scramCredential("alice", ScramMechanism.SCRAM_SHA_256)).contains(second);
        assertThat(image.scramCredential("alice", ScramMechanism.SCRAM_SHA_512)).contains(first);
        assertThat(image.scramCredential("bob", ScramMechanism.SCRAM_SHA_256)).isEmpty();
        assertThat(image.scramCredentials()).containsOnlyKeys("alice");
        assertThatThrownBy(() -> image.scramCredentials().get("alice").clear())
                .isInstanceOf(UnsupportedOperationException.class);
        MetadataDelta next = new MetadataDelta(image);
        assertThatThrownBy(() -> next.replay(new RemoveUserScramCredentialRecord("bob", ScramMechanism.SCRAM_SHA_256)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aclsAreAddedAndRemovedByIdAndImmutable() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new AccessControlEntryRecord(new UUID(9, 1), READ_ORDERS));
        delta.replay(new AccessControlEntryRecord(new UUID(9, 2), WRITE_ORDERS));
        delta.replay(new RemoveAccessControlEntryRecord(new UUID(9, 1)));
        MetadataImage image = delta.apply();

        assertThat(image.acls()).containsExactly(WRITE_ORDERS);
        assertThat(image.aclsImage().byId()).containsOnlyKeys(new UUID(9, 2));
        assertThatThrownBy(() -> image.acls().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theAclCollectionIsTheSameInstanceUntilAnAclRecordChangesIt() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new AccessControlEntryRecord(new UUID(9, 1), READ_ORDERS));
        MetadataImage withAcl = delta.apply();
        delta.replay(new TopicRecord("orders", ORDERS));
        delta.replay(new ConfigRecord(ConfigResource.topic("orders"), "retention.ms", Optional.of("1")));
        MetadataImage afterTopic = delta.apply();
        MetadataDelta next = new MetadataDelta(afterTopic);
        next.replay(new PartitionRecord(ORDERS, 0, List.of(1), List.of(1), 1, 0, 0));
        MetadataImage afterPartition = next.apply();
        next.replay(new AccessControlEntryRecord(new UUID(9, 2), WRITE_ORDERS));
        MetadataImage withSecondAcl = next.apply();

        assertThat(afterTopic.acls()).isSameAs(withAcl.acls());
        assertThat(afterPartition.acls()).isSameAs(withAcl.acls());
        assertThat(withSecondAcl.acls()).isNotSameAs(withAcl.acls()).containsExactly(READ_ORDERS, WRITE_ORDERS);
        assertThat(withAcl.acls()).containsExactly(READ_ORDERS);
    }

    @Test
    void aclRecordsThatContradictTheImageAreRejected() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new AccessControlEntryRecord(new UUID(9, 1), READ_ORDERS));

        assertThatThrownBy(() -> delta.replay(new AccessControlEntryRecord(new UUID(9, 1), WRITE_ORDERS)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ACL id already in use");
        assertThatThrownBy(() -> delta.replay(new AccessControlEntryRecord(new UUID(9, 2), READ_ORDERS)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ACL already exists");
        assertThatThrownBy(() -> delta.replay(new RemoveAccessControlEntryRecord(new UUID(9, 3))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("removal of an unknown ACL");
    }

    private static MetadataImage withOrders() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new TopicRecord("orders", ORDERS));
        delta.replay(new PartitionRecord(ORDERS, 0, List.of(1, 2), List.of(1, 2), 1, 0, 0));
        delta.replay(new PartitionRecord(ORDERS, 1, List.of(2, 1), List.of(2, 1), 2, 0, 0));
        delta.replay(new ConfigRecord(ConfigResource.topic("orders"), "retention.ms", Optional.of("1000")));
        return delta.apply();
    }
}
