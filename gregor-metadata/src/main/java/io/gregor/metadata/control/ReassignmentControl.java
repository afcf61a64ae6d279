package io.gregor.metadata.control;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.image.TopicImage;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * Partition reassignment as KIP-455 defines it. Starting one sets the partition's replicas to the
 * target followed by the replicas being removed, and records which replicas are being added and
 * removed; the added ones start as followers and catch up. When every target replica is in the
 * ISR (checked whenever the ISR changes), the reassignment completes in one change: the replicas
 * become the target, the removed replicas leave the ISR, and the leadership moves (a new leader
 * epoch) if the leader is not a target replica. Cancelling (a null target) goes back to the
 * replicas from before the reassignment. A new target for a partition already being reassigned
 * is taken relative to its original replicas, so reassignments do not pile up.
 *
 * <p>Like {@link ClusterControl}, each method only computes records from an image.
 */
final class ReassignmentControl {
    private ReassignmentControl() {
    }

    /**
     * Starts, replaces or cancels reassignments (AlterPartitionReassignments). Answers per
     * partition: UNKNOWN_TOPIC_OR_PARTITION, INVALID_REPLICA_ASSIGNMENT (an empty target,
     * duplicates, a broker that is not registered or is fenced), NO_REASSIGNMENT_IN_PROGRESS (a
     * cancellation where there is nothing to cancel; a change that would leave no in-sync replica),
     * INVALID_REPLICATION_FACTOR (a target of
     * another size than the original replicas when the client does not allow that, KIP-860).
     *
     * @param targets per partition the target replicas, or empty to cancel
     */
    static ControllerResult<Map<TopicPartition, ApiError>> alter(MetadataImage image,
                                                                 Map<TopicPartition, Optional<List<Integer>>> targets,
                                                                 boolean allowReplicationFactorChange) {
        Set<Integer> unfenced = image.unfencedBrokers().keySet();
        List<MetadataRecord> records = new ArrayList<>();
        Map<TopicPartition, ApiError> answers = new LinkedHashMap<>();
        targets.forEach((tp, target) -> {
            Optional<TopicImage> topic = image.topic(tp.topic());
            Optional<PartitionImage> partition = topic.flatMap(t -> t.partition(tp.partition()));
            if (partition.isEmpty()) {
                answers.put(tp, ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION, "No partition " + tp));
                return;
            }
            UUID topicId = topic.get().id();
            PartitionImage current = partition.get();
            if (target.isEmpty()) {
                if (!current.isReassigning()) {
                    answers.put(tp, ApiError.of(Errors.NO_REASSIGNMENT_IN_PROGRESS,
                            "No reassignment of " + tp + " is in progress"));
                    return;
                }
                if (!keepsAnInSyncReplica(current, current.originalReplicas())) {
                    answers.put(tp, uncleanRefusal(tp));
                    return;
                }
                records.add(revert(topicId, current, unfenced));
                answers.put(tp, ApiError.NONE);
                return;
            }
            Optional<ApiError> invalid = validate(tp, target.get(), image);
            if (invalid.isPresent()) {
                answers.put(tp, invalid.get());
                return;
            }
            if (!allowReplicationFactorChange && target.get().size() != current.originalReplicas().size()) {
                answers.put(tp, ApiError.of(Errors.INVALID_REPLICATION_FACTOR, "The target replicas "
                        + target.get() + " of " + tp + " change the replication factor, which the request forbids"));
                return;
            }
            List<Integer> kept = new ArrayList<>(target.get());
            kept.addAll(current.originalReplicas());
            if (!keepsAnInSyncReplica(current, kept)) {
                answers.put(tp, uncleanRefusal(tp));
                return;
            }
            start(topicId, current, target.get(), unfenced).ifPresent(records::add);
            answers.put(tp, ApiError.NONE);
        });
        return new ControllerResult<>(records, answers);
    }

    /**
     * The partitions being reassigned (ListPartitionReassignments), in their current state.
     *
     * @param partitions the partitions asked about; empty: all. Unknown ones are left out.
     */
    static Map<TopicPartition, PartitionImage> ongoing(MetadataImage image, Optional<Set<TopicPartition>> partitions) {
        Map<TopicPartition, PartitionImage> ongoing = new LinkedHashMap<>();
        for (TopicImage topic : image.topicsByName().values()) {
            for (PartitionImage partition : topic.partitions().values()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
                if (partition.isReassigning() && partitions.map(asked -> asked.contains(tp)).orElse(true)) {
                    ongoing.put(tp, partition);
                }
            }
        }
        return ongoing;
    }

    /**
     * An ISR change just decided for a partition (AlterPartition) completes its reassignment when
     * the new ISR holds every target replica: the change is then replaced by one that also
     * completes the reassignment, so the leader learns both at once.
     */
    static ControllerResult<PartitionImage> completeIfCaughtUp(MetadataImage image, UUID topicId,
                                                              ControllerResult<PartitionImage> isrChange) {
        PartitionImage changed = isrChange.response();
        if (isrChange.records().isEmpty() || !changed.isReassigning()) {
            return isrChange;
        }
        PartitionImage before = image.topic(topicId).flatMap(t -> t.partition(changed.partition())).orElseThrow();
        return completion(topicId, changed, image.unfencedBrokers().keySet())
                .map(record -> new ControllerResult<>(List.<MetadataRecord>of(record), before.apply(record)))
                .orElse(isrChange);
    }

    /**
     * Whether some in-sync replica stays among {@code replicas}: replacing or cancelling a
     * reassignment whose only in-sync replicas were being added would need an unclean election,
     * which Kafka refuses too (unless unclean election is enabled, which is not offered here).
     */
    private static boolean keepsAnInSyncReplica(PartitionImage partition, List<Integer> replicas) {
        return partition.isr().stream().anyMatch(replicas::contains);
    }

    private static ApiError uncleanRefusal(TopicPartition tp) {
        return ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT, "Changing the reassignment of " + tp
                + " would leave no in-sync replica and need an unclean leader election");
    }

    private static Optional<ApiError> validate(TopicPartition tp, List<Integer> target, MetadataImage image) {
        if (target.isEmpty()) {
            return Optional.of(ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The target replicas of " + tp + " are empty"));
        }
        if (new HashSet<>(target).size() != target.size()) {
            return Optional.of(ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The target replicas " + target + " of " + tp + " name a broker twice"));
        }
        for (int broker : target) {
            if (!image.unfencedBrokers().containsKey(broker)) {
                return Optional.of(ApiError.of(Errors.INVALID_REPLICA_ASSIGNMENT, "Broker " + broker
                        + " in the target replicas of " + tp + " is not registered or is fenced"));
            }
        }
        return Optional.empty();
    }

    /** The change that starts (or replaces) a reassignment to {@code target}; empty when nothing changes. */
    private static Optional<PartitionChangeRecord> start(UUID topicId, PartitionImage current, List<Integer> target,
                                                         Set<Integer> unfenced) {
        List<Integer> original = current.originalReplicas();
        if (target.equals(original)) {
            // Reassigning to the replicas it had: a cancellation when one is in progress, else nothing.
            return current.isReassigning() ? Optional.of(revert(topicId, current, unfenced)) : Optional.empty();
        }
        List<Integer> adding = target.stream().filter(r -> !original.contains(r)).toList();
        List<Integer> removing = original.stream().filter(r -> !target.contains(r)).toList();
        List<Integer> replicas = new ArrayList<>(target);
        replicas.addAll(removing);
        List<Integer> isr = current.isr().stream().filter(replicas::contains).toList();
        int leader = current.leader();
        if (!isr.contains(leader)) {
            leader = firstEligible(replicas, isr, unfenced);
        }
        PartitionChangeRecord change = new PartitionChangeRecord(topicId, current.partition(), Optional.of(isr),
                OptionalInt.of(leader), Optional.of(replicas), Optional.of(adding), Optional.of(removing));
        PartitionImage started = current.apply(change);
        // A target already in sync (replicas only removed) completes at once.
        return Optional.of(completion(topicId, started, unfenced).map(done -> merge(change, done)).orElse(change));
    }

    /** Back to the replicas from before the reassignment; replicas being added leave the ISR. */
    private static PartitionChangeRecord revert(UUID topicId, PartitionImage current, Set<Integer> unfenced) {
        List<Integer> original = current.originalReplicas();
        return finalChange(topicId, current, original, unfenced);
    }

    /** The completion of a reassignment whose target replicas are all in the ISR; empty otherwise. */
    private static Optional<PartitionChangeRecord> completion(UUID topicId, PartitionImage partition,
                                                              Set<Integer> unfenced) {
        List<Integer> target = partition.targetReplicas();
        if (!partition.isReassigning() || !partition.isr().containsAll(target)) {
            return Optional.empty();
        }
        return Optional.of(finalChange(topicId, partition, target, unfenced));
    }

    /** Sets the replicas to {@code replicas}, ends the reassignment, and keeps the ISR and leader among them. */
    private static PartitionChangeRecord finalChange(UUID topicId, PartitionImage partition, List<Integer> replicas,
                                                     Set<Integer> unfenced) {
        List<Integer> isr = partition.isr().stream().filter(replicas::contains).toList();
        int leader = isr.contains(partition.leader()) ? partition.leader() : firstEligible(replicas, isr, unfenced);
        return new PartitionChangeRecord(topicId, partition.partition(), Optional.of(isr), OptionalInt.of(leader),
                Optional.of(replicas), Optional.of(List.of()), Optional.of(List.of()));
    }

    /** {@code second} applied on top of {@code first}, as one record: every field of {@code second} is set. */
    private static PartitionChangeRecord merge(PartitionChangeRecord first, PartitionChangeRecord second) {
        return new PartitionChangeRecord(first.topicId(), first.partition(), second.isr(), second.leader(),
                second.replicas(), second.addingReplicas(), second.removingReplicas());
    }

    private static int firstEligible(List<Integer> replicas, List<Integer> isr, Set<Integer> unfenced) {
        return replicas.stream().filter(r -> isr.contains(r) && unfenced.contains(r)).findFirst()
                .orElse(PartitionImage.NO_LEADER);
    }
}
