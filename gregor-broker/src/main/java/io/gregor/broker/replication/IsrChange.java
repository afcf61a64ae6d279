package io.gregor.broker.replication;

import java.util.List;
import java.util.UUID;

/**
 * A leader's request to change the in-sync replica set of a partition it leads (Kafka's
 * AlterPartition). The controller accepts it only if {@code leaderEpoch} and
 * {@code partitionEpoch} are still the partition's current ones, so a stale leader or a request
 * racing another change is refused instead of overwriting it.
 */
public record IsrChange(UUID topicId, int partition, int leaderId, int leaderEpoch, int partitionEpoch,
                        List<Integer> newIsr) {
    public IsrChange {
        newIsr = List.copyOf(newIsr);
    }
}
