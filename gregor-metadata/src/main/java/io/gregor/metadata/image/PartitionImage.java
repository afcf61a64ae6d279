package io.gregor.metadata.image;

import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.metadata.record.PartitionRecord;
import java.util.List;
import java.util.OptionalInt;

/**
 * The replicas, in-sync replicas and leader of one partition. Immutable. While a reassignment is
 * in progress, {@code replicas} holds the target replicas followed by those being removed, and
 * {@code addingReplicas} / {@code removingReplicas} say which are which (KIP-455).
 */
public record PartitionImage(
        int partition,
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch,
        List<Integer> addingReplicas,
        List<Integer> removingReplicas) {
    /** Kafka's wire value for "this partition has no leader". */
    public static final int NO_LEADER = -1;

    public PartitionImage {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A partition without a reassignment in progress. */
    public PartitionImage(int partition, List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                          int partitionEpoch) {
        this(partition, replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
    }

    static PartitionImage of(PartitionRecord record) {
        return new PartitionImage(record.partition(), record.replicas(), record.isr(), record.leader(),
                record.leaderEpoch(), record.partitionEpoch(), record.addingReplicas(), record.removingReplicas());
    }

    /** This partition with a committed change applied: what replaying the record makes of it. */
    public PartitionImage apply(PartitionChangeRecord change) {
        boolean leaderChanged = change.leader().isPresent() && change.leader().getAsInt() != leader;
        return new PartitionImage(partition, change.replicas().orElse(replicas), change.isr().orElse(isr),
                change.leader().orElse(leader),
                leaderChanged ? leaderEpoch + 1 : leaderEpoch,
                partitionEpoch + 1,
                change.addingReplicas().orElse(addingReplicas),
                change.removingReplicas().orElse(removingReplicas));
    }

    public OptionalInt leaderId() {
        return leader == NO_LEADER ? OptionalInt.empty() : OptionalInt.of(leader);
    }

    /** Whether a reassignment of this partition is in progress. */
    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** The replicas the partition will have once its reassignment completes (all of them when none is). */
    public List<Integer> targetReplicas() {
        return replicas.stream().filter(replica -> !removingReplicas.contains(replica)).toList();
    }

    /** The replicas the partition had before its reassignment began (all of them when none is). */
    public List<Integer> originalReplicas() {
        return replicas.stream().filter(replica -> !addingReplicas.contains(replica)).toList();
    }

    /** Replicas assigned to the partition whose broker is not registered. */
    public List<Integer> offlineReplicas(java.util.Set<Integer> liveBrokers) {
        return replicas.stream().filter(replica -> !liveBrokers.contains(replica)).toList();
    }
}
