package io.gregor.broker.api.meta;

import io.gregor.metadata.image.PartitionImage;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The leader Metadata and DescribeTopicPartitions name for a partition: its committed leader when
 * that broker is unfenced, as Kafka's brokers name it; none otherwise, which clients see as
 * LEADER_NOT_AVAILABLE and ask again about. A leader named before it has applied the change that
 * made it leader (a new topic's logs are created after the controller answers) holds produce and
 * list-offsets requests for the partition until it has, and answers others NOT_LEADER_OR_FOLLOWER,
 * which clients retry.
 */
final class AdvertisedLeader {
    private AdvertisedLeader() {
    }

    static OptionalInt of(PartitionImage partition, Set<Integer> unfencedBrokers) {
        if (partition.leaderId().isEmpty() || !unfencedBrokers.contains(partition.leader())) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(partition.leader());
    }
}
