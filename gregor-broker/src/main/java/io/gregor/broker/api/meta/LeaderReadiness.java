package io.gregor.broker.api.meta;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.protocol.api.TopicPartition;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Whether the leader a committed metadata image names for a partition can serve it yet, so that
 * Metadata and DescribeTopicPartitions may name it to clients. A broker applies committed changes
 * after the controller has answered (a new topic's logs are created then, as with Kafka), and
 * knows only whether it has done so itself ({@code ReplicaManager#leaderCanServe}).
 */
@FunctionalInterface
public interface LeaderReadiness {
    /** Every committed leader serves at once: for a node that hosts no partitions of its own. */
    LeaderReadiness COMMITTED = (tp, leaderId, leaderEpoch, imageOffset) -> true;

    /**
     * @param imageOffset {@link MetadataImage#nextOffset()} of the image that names the leader
     */
    boolean canServe(TopicPartition tp, int leaderId, int leaderEpoch, long imageOffset);

    /**
     * The leader to name for a partition: its committed leader when that broker is unfenced and
     * can serve it; none otherwise, which clients see as LEADER_NOT_AVAILABLE and ask again about.
     */
    default OptionalInt advertisedLeader(String topic, PartitionImage partition, MetadataImage image,
                                         Set<Integer> unfencedBrokers) {
        if (partition.leaderId().isEmpty() || !unfencedBrokers.contains(partition.leader())
                || !canServe(new TopicPartition(topic, partition.partition()), partition.leader(),
                        partition.leaderEpoch(), image.nextOffset())) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(partition.leader());
    }
}
