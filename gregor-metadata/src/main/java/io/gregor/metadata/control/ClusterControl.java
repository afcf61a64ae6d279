package io.gregor.metadata.control;

import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.image.TopicImage;
import io.gregor.metadata.record.BrokerFencingRecord;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * Decisions about brokers and partition leadership: registration, fencing and unfencing,
 * leader elections (from the in-sync replicas; from the other replicas only where
 * {@code unclean.leader.election.enable} allows it and no in-sync replica is left), and ISR
 * changes asked for by partition leaders (AlterPartition). Like {@link TopicControl}, each method
 * only computes records from an image; nothing changes until they are committed.
 */
final class ClusterControl {
    static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    private ClusterControl() {
    }

    /**
     * Registers a broker, unfenced: it registers once its metadata is loaded, and a restarted
     * broker takes back the leadership of partitions that had no leader but it in their ISR.
     * A retry of the same registration writes nothing.
     *
     * <p>A new incarnation of a broker that is still registered and unfenced (a process restarted
     * within its session, after a SIGKILL or a power loss) is first fenced, in the same batch, as
     * if its session had expired: it leaves the ISRs where others remain and its leaderships move
     * to them, and where it was the only in-sync replica it leads again, but at a new leader epoch
     * (two, through leaderless). Either way its followers see a new epoch and truncate to what the
     * leader of that epoch has, and the restarted broker, which may have lost the tail of its log
     * with the page cache, is not trusted with the old epoch's data.
     */
    static ControllerResult<Void> register(MetadataImage image, BrokerRegistration registration,
                                           boolean uncleanDefault) {
        BrokerRegistration unfenced = registration.withFenced(false);
        Optional<BrokerRegistration> previous = image.broker(unfenced.id());
        if (previous.filter(unfenced::equals).isPresent()) {
            return new ControllerResult<>(List.of(), null);
        }
        List<MetadataRecord> records = new ArrayList<>();
        MetadataImage before = image;
        if (previous.isPresent() && !previous.get().fenced()
                && !previous.get().incarnationId().equals(unfenced.incarnationId())) {
            records.addAll(fence(image, unfenced.id(), uncleanDefault));
            MetadataDelta delta = new MetadataDelta(image);
            records.forEach(delta::replay);
            before = delta.apply();
        }
        records.add(unfenced.toRecord());
        records.addAll(electLeaderless(before, unfenced.id(), uncleanDefault));
        return new ControllerResult<>(records, null);
    }

    /**
     * Fences a broker: it leaves every ISR it is in, and its leaderships go to the first other
     * unfenced in-sync replica (in replica order) with a leader epoch bump; a partition whose
     * only in-sync replica it was keeps it in the ISR and has no leader until it comes back, unless
     * unclean election is allowed for its topic and another replica is unfenced: that one leads,
     * alone in the ISR, and what only the fenced leader had is lost.
     */
    static List<MetadataRecord> fence(MetadataImage image, int brokerId, boolean uncleanDefault) {
        Optional<BrokerRegistration> broker = image.broker(brokerId);
        if (broker.isEmpty() || broker.get().fenced()) {
            return List.of();
        }
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new BrokerFencingRecord(brokerId, true));
        Set<Integer> eligible = new HashSet<>(image.unfencedBrokers().keySet());
        eligible.remove(brokerId);
        for (TopicImage topic : image.topicsById().values()) {
            for (PartitionImage partition : topic.partitions().values()) {
                if (!partition.isr().contains(brokerId)) {
                    continue;
                }
                List<Integer> isr = new ArrayList<>(partition.isr());
                isr.remove(Integer.valueOf(brokerId));
                if (isr.isEmpty()) {
                    if (partition.leader() == brokerId) {
                        Optional<Integer> unclean = uncleanAllowed(image, topic, uncleanDefault)
                                ? partition.replicas().stream().filter(eligible::contains).findFirst()
                                : Optional.empty();
                        records.add(new PartitionChangeRecord(topic.id(), partition.partition(),
                                unclean.map(List::of), OptionalInt.of(unclean.orElse(PartitionImage.NO_LEADER))));
                    }
                    continue;
                }
                OptionalInt leader = OptionalInt.empty();
                if (partition.leader() == brokerId) {
                    leader = OptionalInt.of(firstEligible(partition.replicas(), isr, eligible)
                            .orElse(PartitionImage.NO_LEADER));
                }
                records.add(new PartitionChangeRecord(topic.id(), partition.partition(), Optional.of(isr), leader));
            }
        }
        return records;
    }

    /** Unfences a broker and gives it the partitions that have no leader and it in their ISR. */
    static List<MetadataRecord> unfence(MetadataImage image, int brokerId, boolean uncleanDefault) {
        Optional<BrokerRegistration> broker = image.broker(brokerId);
        if (broker.isEmpty() || !broker.get().fenced()) {
            return List.of();
        }
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new BrokerFencingRecord(brokerId, false));
        records.addAll(electLeaderless(image, brokerId, uncleanDefault));
        return records;
    }

    /**
     * Moves each partition's leadership to its preferred replica (the first one) where that
     * replica is in sync and unfenced and does not lead already.
     *
     * @param partitions the partitions to consider; empty: all
     */
    static List<MetadataRecord> electPreferred(MetadataImage image, Optional<Set<TopicPartition>> partitions) {
        Set<Integer> unfenced = image.unfencedBrokers().keySet();
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topicsById().values()) {
            for (PartitionImage partition : topic.partitions().values()) {
                if (partitions.isPresent() && !partitions.get().contains(new TopicPartition(topic.name(),
                        partition.partition()))) {
                    continue;
                }
                preferredElection(partition, unfenced).ifPresent(preferred -> records.add(new PartitionChangeRecord(
                        topic.id(), partition.partition(), Optional.empty(), OptionalInt.of(preferred))));
            }
        }
        return records;
    }

    /**
     * An unclean election asked for by ElectLeaders (UNCLEAN): a partition without a leader gets
     * its first unfenced replica, alone in the ISR, whatever unclean.leader.election.enable says.
     */
    static ControllerResult<ApiError> electUnclean(MetadataImage image, TopicPartition ref) {
        Optional<TopicImage> topic = image.topic(ref.topic());
        Optional<PartitionImage> partition = topic.flatMap(t -> t.partition(ref.partition()));
        if (partition.isEmpty()) {
            return new ControllerResult<>(List.of(), ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "No partition " + ref));
        }
        PartitionImage p = partition.get();
        if (p.leader() != PartitionImage.NO_LEADER) {
            return new ControllerResult<>(List.of(), ApiError.of(Errors.ELECTION_NOT_NEEDED,
                    "Partition " + ref + " has a leader, " + p.leader()));
        }
        Set<Integer> unfenced = image.unfencedBrokers().keySet();
        Optional<Integer> leader = p.replicas().stream().filter(unfenced::contains).findFirst();
        if (leader.isEmpty()) {
            return new ControllerResult<>(List.of(), ApiError.of(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE,
                    "No replica of " + ref + " is unfenced"));
        }
        return new ControllerResult<>(List.of(new PartitionChangeRecord(topic.get().id(), ref.partition(),
                Optional.of(List.of(leader.get())), OptionalInt.of(leader.get()))), ApiError.NONE);
    }

    /** Why the preferred replica cannot lead, or empty when it can and should. */
    static Optional<ApiError> preferredElectionError(MetadataImage image, TopicPartition ref) {
        Optional<PartitionImage> partition = image.topic(ref.topic()).flatMap(t -> t.partition(ref.partition()));
        if (partition.isEmpty()) {
            return Optional.of(ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "No partition " + ref));
        }
        PartitionImage p = partition.get();
        if (p.leader() == p.replicas().get(0)) {
            return Optional.of(ApiError.of(Errors.ELECTION_NOT_NEEDED, "The preferred replica already leads " + ref));
        }
        if (preferredElection(p, image.unfencedBrokers().keySet()).isEmpty()) {
            return Optional.of(ApiError.of(Errors.PREFERRED_LEADER_NOT_AVAILABLE, "The preferred replica "
                    + p.replicas().get(0) + " of " + ref + " is not in sync or is fenced"));
        }
        return Optional.empty();
    }

    /**
     * A partition leader's request to change the ISR, checked as Kafka checks AlterPartition: the
     * sender must be the current leader at the current leader epoch, the partition epoch must be
     * the one the leader knows (else another change came first), and the new ISR must hold the
     * leader and only unfenced replicas of the partition.
     *
     * @throws ApiException with the error code the leader gets
     */
    static ControllerResult<PartitionImage> alterPartition(MetadataImage image, UUID topicId, int partitionIndex,
                                                           int leaderId, int leaderEpoch, int partitionEpoch,
                                                           List<Integer> newIsr) {
        TopicImage topic = image.topic(topicId).orElseThrow(() -> new ApiException(Errors.UNKNOWN_TOPIC_ID,
                "No topic with id " + topicId));
        PartitionImage partition = topic.partition(partitionIndex).orElseThrow(() -> new ApiException(
                Errors.UNKNOWN_TOPIC_OR_PARTITION, "No partition " + topic.name() + "-" + partitionIndex));
        if (leaderEpoch < partition.leaderEpoch()) {
            throw new ApiException(Errors.FENCED_LEADER_EPOCH, "Leader epoch " + leaderEpoch + " of "
                    + topic.name() + "-" + partitionIndex + " is older than " + partition.leaderEpoch());
        }
        if (leaderId != partition.leader() || leaderEpoch != partition.leaderEpoch()) {
            throw new ApiException(Errors.NOT_LEADER_OR_FOLLOWER, "Broker " + leaderId + " at leader epoch "
                    + leaderEpoch + " does not lead " + topic.name() + "-" + partitionIndex + " (leader "
                    + partition.leader() + ", epoch " + partition.leaderEpoch() + ")");
        }
        if (partitionEpoch != partition.partitionEpoch()) {
            throw new ApiException(Errors.INVALID_UPDATE_VERSION, "Partition epoch " + partitionEpoch + " of "
                    + topic.name() + "-" + partitionIndex + " is not the current " + partition.partitionEpoch());
        }
        Set<Integer> unfenced = image.unfencedBrokers().keySet();
        if (!newIsr.contains(leaderId) || new HashSet<>(newIsr).size() != newIsr.size()) {
            throw new ApiException(Errors.INVALID_REQUEST, "The ISR " + newIsr + " must contain the leader "
                    + leaderId + " once");
        }
        for (int replica : newIsr) {
            if (!partition.replicas().contains(replica) || !unfenced.contains(replica)) {
                throw new ApiException(Errors.INELIGIBLE_REPLICA, "Replica " + replica + " of " + topic.name() + "-"
                        + partitionIndex + " cannot join the ISR: it is not a replica or it is fenced");
            }
        }
        if (newIsr.equals(partition.isr())) {
            return new ControllerResult<>(List.of(), partition);
        }
        PartitionChangeRecord change = new PartitionChangeRecord(topicId, partitionIndex, Optional.of(newIsr),
                OptionalInt.empty());
        return new ControllerResult<>(List.of(change), partition.apply(change));
    }

    private static Optional<Integer> preferredElection(PartitionImage partition, Set<Integer> unfenced) {
        int preferred = partition.replicas().get(0);
        if (partition.leader() != preferred && partition.isr().contains(preferred) && unfenced.contains(preferred)) {
            return Optional.of(preferred);
        }
        return Optional.empty();
    }

    /**
     * The partitions without a leader that {@code brokerId}, coming back, may lead: those it is in
     * sync for, and, where unclean election is allowed, those it is a replica of.
     */
    private static List<MetadataRecord> electLeaderless(MetadataImage image, int brokerId, boolean uncleanDefault) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topicsById().values()) {
            for (PartitionImage partition : topic.partitions().values()) {
                if (partition.leader() != PartitionImage.NO_LEADER || !partition.replicas().contains(brokerId)) {
                    continue;
                }
                if (partition.isr().contains(brokerId)) {
                    records.add(new PartitionChangeRecord(topic.id(), partition.partition(), Optional.empty(),
                            OptionalInt.of(brokerId)));
                } else if (uncleanAllowed(image, topic, uncleanDefault)) {
                    records.add(new PartitionChangeRecord(topic.id(), partition.partition(),
                            Optional.of(List.of(brokerId)), OptionalInt.of(brokerId)));
                }
            }
        }
        return records;
    }

    /**
     * The topic's unclean.leader.election.enable, else the cluster-wide dynamic broker default,
     * else the controller's own configuration, as Kafka's controller decides (a per-broker dynamic
     * setting does not count: the decision is the controller's, not one broker's).
     */
    private static boolean uncleanAllowed(MetadataImage image, TopicImage topic, boolean uncleanDefault) {
        String value = image.configs(ConfigResource.topic(topic.name())).get(UNCLEAN_LEADER_ELECTION_ENABLE);
        if (value == null) {
            value = image.configs(ConfigResource.clusterDefaultBroker()).get(UNCLEAN_LEADER_ELECTION_ENABLE);
        }
        return value == null ? uncleanDefault : Boolean.parseBoolean(value.trim());
    }

    private static Optional<Integer> firstEligible(List<Integer> replicas, List<Integer> isr, Set<Integer> eligible) {
        return replicas.stream().filter(r -> isr.contains(r) && eligible.contains(r)).findFirst();
    }
}
