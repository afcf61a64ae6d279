package io.gregor.metadata.image;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.record.AccessControlEntryRecord;
import io.gregor.metadata.record.ClientQuotaRecord;
import io.gregor.metadata.record.ConfigRecord;
import io.gregor.metadata.record.DelegationTokenRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.FeatureLevelRecord;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionRecord;
import io.gregor.metadata.record.TopicRecord;
import io.gregor.metadata.record.UserScramCredentialRecord;
import io.gregor.metadata.token.DelegationToken;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The cluster as of a point in the metadata log: brokers, topics (by name and by id) with their
 * partitions, configs per resource, finalized features, users' SCRAM credentials, ACLs, client
 * quotas, delegation tokens. Immutable and safe to share between threads; a new image is made by
 * {@link MetadataDelta#apply} from records.
 *
 * @param nextOffset the log offset the next metadata record will get (= records applied so far)
 * @param scramCredentials by user name, then mechanism; users without any credential are absent
 * @param aclsImage the ACLs with their ids; see {@link #acls}
 * @param clientQuotas the quotas set per client quota entity, by key; entities without any quota are absent
 * @param delegationTokens by token id, including tokens past their expiry that the controller has not removed yet
 */
public record MetadataImage(
        String clusterId,
        long nextOffset,
        Map<String, TopicImage> topicsByName,
        Map<UUID, TopicImage> topicsById,
        Map<Integer, BrokerRegistration> brokers,
        Map<ConfigResource, Map<String, String>> configs,
        Map<String, Short> features,
        Map<String, Map<ScramMechanism, ScramCredential>> scramCredentials,
        AclsImage aclsImage,
        Map<ClientQuotaEntity, Map<String, Double>> clientQuotas,
        Map<String, DelegationToken> delegationTokens) {

    public MetadataImage {
        Objects.requireNonNull(clusterId, "clusterId");
        topicsByName = Collections.unmodifiableMap(new TreeMap<>(topicsByName));
        topicsById = Map.copyOf(topicsById);
        brokers = Collections.unmodifiableMap(new TreeMap<>(brokers));
        Map<ConfigResource, Map<String, String>> frozen = new HashMap<>();
        configs.forEach((resource, values) -> frozen.put(resource, Collections.unmodifiableMap(new TreeMap<>(values))));
        configs = Collections.unmodifiableMap(frozen);
        features = Collections.unmodifiableMap(new TreeMap<>(features));
        Map<String, Map<ScramMechanism, ScramCredential>> credentials = new TreeMap<>();
        scramCredentials.forEach((user, byMechanism) ->
                credentials.put(user, Collections.unmodifiableMap(new EnumMap<>(byMechanism))));
        scramCredentials = Collections.unmodifiableMap(credentials);
        // Not copied: immutable already, and carried over as the same instance while no ACL changes.
        Objects.requireNonNull(aclsImage, "aclsImage");
        Map<ClientQuotaEntity, Map<String, Double>> quotas = new HashMap<>();
        clientQuotas.forEach((entity, values) -> quotas.put(entity, Collections.unmodifiableMap(new TreeMap<>(values))));
        clientQuotas = Collections.unmodifiableMap(quotas);
        delegationTokens = Collections.unmodifiableMap(new TreeMap<>(delegationTokens));
    }

    public static MetadataImage empty(String clusterId) {
        return new MetadataImage(clusterId, 0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                AclsImage.EMPTY, Map.of(), Map.of());
    }

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    public Optional<TopicImage> topic(UUID id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    /** The configs set on a resource (not defaults); empty when none are set. */
    public Map<String, String> configs(ConfigResource resource) {
        return configs.getOrDefault(resource, Map.of());
    }

    /** The credential a user authenticates with over the given SCRAM mechanism, if the user has one. */
    public Optional<ScramCredential> scramCredential(String user, ScramMechanism mechanism) {
        return Optional.ofNullable(scramCredentials.getOrDefault(user, Map.of()).get(mechanism));
    }

    /**
     * Every ACL. The same (unmodifiable) collection instance from every image until an ACL record
     * changes the ACLs, so a change of instance is how a reader knows they changed.
     */
    public Collection<AclBinding> acls() {
        return aclsImage.bindings();
    }

    public Optional<BrokerRegistration> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }

    /** The registered brokers the controller has not fenced, by id: those that may lead and host new replicas. */
    public Map<Integer, BrokerRegistration> unfencedBrokers() {
        Map<Integer, BrokerRegistration> unfenced = new TreeMap<>();
        brokers.forEach((id, broker) -> {
            if (!broker.fenced()) {
                unfenced.put(id, broker);
            }
        });
        return Collections.unmodifiableMap(unfenced);
    }

    /**
     * Records that rebuild this image when replayed into an empty one: features, brokers, each topic
     * with its partitions as they are now, configs, SCRAM credentials, ACLs with their ids, client
     * quotas, then delegation tokens. A snapshot of the metadata log is these records plus {@link #nextOffset};
     * there are never more of them than records were replayed.
     */
    public List<MetadataRecord> toRecords() {
        List<MetadataRecord> records = new ArrayList<>();
        features.forEach((name, level) -> records.add(new FeatureLevelRecord(name, level)));
        brokers.values().forEach(broker -> records.add(broker.toRecord()));
        for (TopicImage topic : topicsByName.values()) {
            records.add(new TopicRecord(topic.name(), topic.id()));
            for (PartitionImage p : topic.partitions().values()) {
                records.add(new PartitionRecord(topic.id(), p.partition(), p.replicas(), p.isr(), p.leader(),
                        p.leaderEpoch(), p.partitionEpoch(), p.addingReplicas(), p.removingReplicas()));
            }
        }
        configs.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing((ConfigResource r) -> r.type().code())
                        .thenComparing(ConfigResource::name)))
                .forEach(entry -> entry.getValue().forEach((key, value) ->
                        records.add(new ConfigRecord(entry.getKey(), key, Optional.of(value)))));
        scramCredentials.forEach((user, byMechanism) -> byMechanism.forEach((mechanism, credential) ->
                records.add(new UserScramCredentialRecord(user, mechanism, credential))));
        aclsImage.byId().forEach((id, binding) -> records.add(new AccessControlEntryRecord(id, binding)));
        clientQuotas.forEach((entity, values) -> values.forEach((key, value) ->
                records.add(new ClientQuotaRecord(entity, key, OptionalDouble.of(value)))));
        delegationTokens.values().forEach(token -> records.add(new DelegationTokenRecord(token)));
        return records;
    }
}
