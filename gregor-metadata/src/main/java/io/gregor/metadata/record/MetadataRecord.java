package io.gregor.metadata.record;

/**
 * One change to cluster metadata. The image of the cluster is whatever replaying these records in
 * log order produces; controllers never change state any other way, so a restart (or, later, a
 * Raft follower) replaying the same log reaches the same image.
 */
public sealed interface MetadataRecord permits RegisterBrokerRecord, BrokerFencingRecord, UnregisterBrokerRecord, TopicRecord, PartitionRecord,
        PartitionChangeRecord, ConfigRecord, RemoveTopicRecord, FeatureLevelRecord, UserScramCredentialRecord,
        RemoveUserScramCredentialRecord, AccessControlEntryRecord, RemoveAccessControlEntryRecord,
        ClientQuotaRecord, DelegationTokenRecord, RemoveDelegationTokenRecord {
}
