package io.gregor.metadata.image;

import io.gregor.metadata.record.PartitionChangeRecord;
import io.gregor.metadata.record.PartitionRecord;
import java.util.List;
import java.util.OptionalInt;

/** The replicas, in-sync replicas and leader of one partition. Immutable. */
public record PartitionImage(
        int partition,
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch) {
    /** Kafka's wire value for "this partition has no leader". */
    public static final int NO_LEADER = -1;

    public PartitionImage {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    static PartitionImage of(PartitionRecord record) {
        return new PartitionImage(record.partition(), record.replicas(), record.isr(), record.leader(),
                record.leaderEpoch(), record.partitionEpoch());
    }

    PartitionImage apply(PartitionChangeRecord change) {
        boolean leaderChanged = change.leader().isPresent() && change.leader().getAsInt() != leader;
        return new PartitionImage(partition, replicas, change.isr().orElse(isr),
                change.leader().orElse(leader),
                leaderChanged ? leaderEpoch + 1 : leaderEpoch,
                partitionEpoch + 1);
    }

    public OptionalInt leaderId() {
        return leader == NO_LEADER ? OptionalInt.empty() : OptionalInt.of(leader);
    }

    /** Replicas assigned to the partition whose broker is not registered. */
    public List<Integer> offlineReplicas(java.util.Set<Integer> liveBrokers) {
        return replicas.stream().filter(replica -> !liveBrokers.contains(replica)).toList();
    }
}
