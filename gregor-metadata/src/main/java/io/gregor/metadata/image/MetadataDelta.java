package io.gregor.metadata.image;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.record.AccessControlEntryRecord;
import io.gregor.metadata.record.ClientQuotaRecord;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.FeatureLevelRecord;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.BrokerFencingRecord;
import io.gregor.metadata.record.RegisterBrokerRecord;
import io.gregor.metadata.record.UnregisterBrokerRecord;
import io.gregor.metadata.record.RemoveTopicRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.metadata.record.RemoveAccessControlEntryRecord;
import io.gregor.metadata.record.RemoveUserScramCredentialRecord;
import io.gregor.metadata.record.RemoveDelegationTokenRecord;
import io.gregor.metadata.record.DelegationTokenRecord;
import io.gregor.metadata.token.DelegationToken;
import io.gregor.metadata.record.UserScramCredentialRecord;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The changes a batch of records makes to an image, and the way to the next image. Records are
 * replayed one by one; {@link #apply} then builds the new image. Publishers read what changed
 * (created and deleted topics, new or changed partitions, configs, brokers) to act on it.
 *
 * <p>Replaying a record that contradicts the image (a partition of an unknown topic, a second
 * topic with the same id or name) throws {@link IllegalStateException}: the controller never
 * writes such records, so meeting one means the log is not ours or is corrupt.
 *
 * <p>Not thread-safe: built and read on the controller thread.
 */
public final class MetadataDelta {
    private final MetadataImage base;
    private final Map<UUID, TopicImage> topicsById;
    private final Map<String, UUID> topicIdsByName;
    private final Map<Integer, BrokerRegistration> brokers;
    private final Map<ConfigResource, Map<String, String>> configs;
    private final Map<String, Short> features;
    private final Map<String, Map<ScramMechanism, ScramCredential>> scramCredentials;
    private final Map<ClientQuotaEntity, Map<String, Double>> clientQuotas;
    private boolean clientQuotasChanged;
    private final Map<String, DelegationToken> delegationTokens;
    /** The ACLs as of the last {@link #apply}; the next image gets this very instance unless ACLs were edited. */
    private AclsImage acls;
    /** The ACLs edited since the last {@link #apply}, by id and as a set of bindings; null when none were. */
    private Map<UUID, AclBinding> editedAcls;
    private Set<AclBinding> editedBindings;

    private final Map<UUID, TopicImage> createdTopics = new LinkedHashMap<>();
    private final Map<UUID, TopicImage> deletedTopics = new LinkedHashMap<>();
    private final Set<TopicIdPartition> changedPartitions = new HashSet<>();
    private final Set<ConfigResource> changedConfigs = new HashSet<>();
    private final Set<Integer> changedBrokers = new HashSet<>();
    /**
     * The partitions of the topics whose partitions records changed since the topics were last
     * made into images, edited in place: a topic of 1,000 partitions is 1,000 records, and
     * copying its partition map for each one made creating it quadratic.
     */
    private final Map<UUID, TreeMap<Integer, PartitionImage>> editedPartitions = new HashMap<>();
    private long recordCount;

    public MetadataDelta(MetadataImage base) {
        this.base = base;
        this.topicsById = new HashMap<>(base.topicsById());
        this.topicIdsByName = new HashMap<>();
        base.topicsByName().forEach((name, topic) -> topicIdsByName.put(name, topic.id()));
        this.brokers = new HashMap<>(base.brokers());
        this.configs = new HashMap<>(base.configs());
        this.features = new HashMap<>(base.features());
        this.scramCredentials = new HashMap<>(base.scramCredentials());
        this.acls = base.aclsImage();
        this.clientQuotas = new HashMap<>(base.clientQuotas());
        this.delegationTokens = new HashMap<>(base.delegationTokens());
    }

    public void replay(MetadataRecord record) {
        if (record instanceof RegisterBrokerRecord r) {
            brokers.put(r.brokerId(), BrokerRegistration.of(r));
            changedBrokers.add(r.brokerId());
        } else if (record instanceof BrokerFencingRecord r) {
            BrokerRegistration broker = brokers.get(r.brokerId());
            if (broker == null) {
                throw new IllegalStateException("fencing of an unregistered broker: " + record);
            }
            brokers.put(r.brokerId(), broker.withFenced(r.fenced()));
            changedBrokers.add(r.brokerId());
        } else if (record instanceof UnregisterBrokerRecord r) {
            if (brokers.remove(r.brokerId()) == null) {
                throw new IllegalStateException("unregistration of an unregistered broker: " + record);
            }
            changedBrokers.add(r.brokerId());
        } else if (record instanceof TopicRecord r) {
            replayTopic(r);
        } else if (record instanceof PartitionRecord r) {
            partitionsToEdit(r.topicId(), record).put(r.partition(), PartitionImage.of(r));
            changedPartitions.add(new TopicIdPartition(r.topicId(), r.partition()));
        } else if (record instanceof PartitionChangeRecord r) {
            TreeMap<Integer, PartitionImage> partitions = partitionsToEdit(r.topicId(), record);
            PartitionImage partition = Optional.ofNullable(partitions.get(r.partition()))
                    .orElseThrow(() -> new IllegalStateException("change of an unknown partition: " + record));
            partitions.put(r.partition(), partition.apply(r));
            changedPartitions.add(new TopicIdPartition(r.topicId(), r.partition()));
        } else if (record instanceof ConfigRecord r) {
            Map<String, String> values = new TreeMap<>(configs.getOrDefault(r.resource(), Map.of()));
            r.value().ifPresentOrElse(value -> values.put(r.key(), value), () -> values.remove(r.key()));
            putConfigs(r.resource(), values);
        } else if (record instanceof RemoveTopicRecord r) {
            replayRemoveTopic(r);
        } else if (record instanceof UserScramCredentialRecord r) {
            Map<ScramMechanism, ScramCredential> credentials = new EnumMap<>(ScramMechanism.class);
            credentials.putAll(scramCredentials.getOrDefault(r.name(), Map.of()));
            credentials.put(r.mechanism(), r.credential());
            scramCredentials.put(r.name(), credentials);
        } else if (record instanceof RemoveUserScramCredentialRecord r) {
            replayRemoveScramCredential(r);
        } else if (record instanceof AccessControlEntryRecord r) {
            replayAccessControlEntry(r);
        } else if (record instanceof RemoveAccessControlEntryRecord r) {
            replayRemoveAccessControlEntry(r);
        } else if (record instanceof ClientQuotaRecord r) {
            replayClientQuota(r);
        } else if (record instanceof DelegationTokenRecord r) {
            delegationTokens.put(r.token().tokenId(), r.token());
        } else if (record instanceof RemoveDelegationTokenRecord r) {
            if (delegationTokens.remove(r.tokenId()) == null) {
                throw new IllegalStateException("removal of an unknown delegation token: " + record);
            }
        } else if (record instanceof FeatureLevelRecord r) {
            if (r.level() == 0) {
                features.remove(r.name());
            } else {
                features.put(r.name(), r.level());
            }
        }
        recordCount++;
    }

    /** The image with every replayed record applied; the delta can keep replaying afterwards. */
    public MetadataImage apply() {
        applyEditedPartitions();
        if (editedAcls != null) {
            acls = new AclsImage(editedAcls);
            editedAcls = null;
            editedBindings = null;
        }
        Map<String, TopicImage> byName = new HashMap<>();
        topicsById.values().forEach(topic -> byName.put(topic.name(), topic));
        return new MetadataImage(base.clusterId(), base.nextOffset() + recordCount, byName, topicsById, brokers,
                configs, features, scramCredentials, acls, clientQuotas, delegationTokens);
    }

    /** Topics that did not exist in the base image, as they are after this delta. */
    public Map<UUID, TopicImage> createdTopics() {
        applyEditedPartitions();
        Map<UUID, TopicImage> current = new LinkedHashMap<>();
        createdTopics.keySet().forEach(id -> current.put(id, topicsById.get(id)));
        return Collections.unmodifiableMap(current);
    }

    /** Topics of the base image that this delta removed, as they were before. */
    public Map<UUID, TopicImage> deletedTopics() {
        return Collections.unmodifiableMap(deletedTopics);
    }

    /** Partitions created or changed by this delta that still exist after it. */
    public Set<TopicIdPartition> changedPartitions() {
        applyEditedPartitions();
        Set<TopicIdPartition> existing = new HashSet<>();
        for (TopicIdPartition partition : changedPartitions) {
            TopicImage topic = topicsById.get(partition.topicId());
            if (topic != null && topic.partition(partition.partition()).isPresent()) {
                existing.add(partition);
            }
        }
        return Collections.unmodifiableSet(existing);
    }

    public Set<ConfigResource> changedConfigs() {
        return Collections.unmodifiableSet(changedConfigs);
    }

    /** Whether a client quota was set or removed: brokers then look up quotas anew. */
    public boolean clientQuotasChanged() {
        return clientQuotasChanged;
    }

    public Set<Integer> changedBrokers() {
        return Collections.unmodifiableSet(changedBrokers);
    }

    private void replayTopic(TopicRecord r) {
        if (topicsById.containsKey(r.topicId())) {
            throw new IllegalStateException("topic id already in use: " + r);
        }
        if (topicIdsByName.containsKey(r.name())) {
            throw new IllegalStateException("topic name already in use: " + r);
        }
        TopicImage topic = TopicImage.empty(r.name(), r.topicId());
        topicsById.put(r.topicId(), topic);
        topicIdsByName.put(r.name(), r.topicId());
        createdTopics.put(r.topicId(), topic);
    }

    private void replayRemoveTopic(RemoveTopicRecord r) {
        applyEditedPartitions();
        TopicImage removed = topicsById.remove(r.topicId());
        if (removed == null) {
            throw new IllegalStateException("removal of an unknown topic: " + r);
        }
        topicIdsByName.remove(removed.name());
        if (createdTopics.remove(r.topicId()) == null) {
            deletedTopics.put(r.topicId(), removed);
        }
        ConfigResource resource = ConfigResource.topic(removed.name());
        if (configs.containsKey(resource)) {
            putConfigs(resource, Map.of());
        }
    }

    private void replayRemoveScramCredential(RemoveUserScramCredentialRecord r) {
        Map<ScramMechanism, ScramCredential> credentials = new EnumMap<>(ScramMechanism.class);
        credentials.putAll(scramCredentials.getOrDefault(r.name(), Map.of()));
        if (credentials.remove(r.mechanism()) == null) {
            throw new IllegalStateException("removal of an unknown SCRAM credential: " + r);
        }
        if (credentials.isEmpty()) {
            scramCredentials.remove(r.name());
        } else {
            scramCredentials.put(r.name(), credentials);
        }
    }

    private void replayClientQuota(ClientQuotaRecord r) {
        Map<String, Double> values = new TreeMap<>(clientQuotas.getOrDefault(r.entity(), Map.of()));
        if (r.value().isPresent()) {
            values.put(r.key(), r.value().getAsDouble());
        } else {
            values.remove(r.key());
        }
        if (values.isEmpty()) {
            clientQuotas.remove(r.entity());
        } else {
            clientQuotas.put(r.entity(), values);
        }
        clientQuotasChanged = true;
    }

    private void replayAccessControlEntry(AccessControlEntryRecord r) {
        editAcls();
        if (editedAcls.containsKey(r.id())) {
            throw new IllegalStateException("ACL id already in use: " + r);
        }
        if (!editedBindings.add(r.binding())) {
            throw new IllegalStateException("ACL already exists: " + r);
        }
        editedAcls.put(r.id(), r.binding());
    }

    private void replayRemoveAccessControlEntry(RemoveAccessControlEntryRecord r) {
        editAcls();
        AclBinding removed = editedAcls.remove(r.id());
        if (removed == null) {
            throw new IllegalStateException("removal of an unknown ACL: " + r);
        }
        editedBindings.remove(removed);
    }

    private void editAcls() {
        if (editedAcls == null) {
            editedAcls = new LinkedHashMap<>(acls.byId());
            editedBindings = new HashSet<>(acls.bindings());
        }
    }

    private void putConfigs(ConfigResource resource, Map<String, String> values) {
        if (values.isEmpty()) {
            configs.remove(resource);
        } else {
            configs.put(resource, values);
        }
        changedConfigs.add(resource);
    }

    private TreeMap<Integer, PartitionImage> partitionsToEdit(UUID topicId, MetadataRecord record) {
        TreeMap<Integer, PartitionImage> partitions = editedPartitions.get(topicId);
        if (partitions == null) {
            TopicImage topic = topicsById.get(topicId);
            if (topic == null) {
                throw new IllegalStateException("record for an unknown topic: " + record);
            }
            partitions = new TreeMap<>(topic.partitions());
            editedPartitions.put(topicId, partitions);
        }
        return partitions;
    }

    /** Makes the topics whose partitions were edited into images again. */
    private void applyEditedPartitions() {
        editedPartitions.forEach((id, partitions) -> {
            TopicImage topic = topicsById.get(id);
            topicsById.put(id, new TopicImage(topic.name(), id, partitions));
        });
        editedPartitions.clear();
    }
}
