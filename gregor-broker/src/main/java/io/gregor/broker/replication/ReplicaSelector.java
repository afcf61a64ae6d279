package io.gregor.broker.replication;

import java.util.List;
import java.util.Optional;

/**
 * Chooses the replica a consumer reads a partition from (KIP-392, {@code replica.selector.class}).
 * The leader asks it for each partition of a consumer's fetch that carries a rack id (Fetch v11+);
 * when it names a follower, the leader answers with that follower as {@code preferred_read_replica}
 * instead of records, and the consumer fetches from the follower from then on.
 */
@FunctionalInterface
public interface ReplicaSelector {
    /** Kafka's name of its rack-aware selector, which operators put in replica.selector.class. */
    String KAFKA_RACK_AWARE = "org.apache.kafka.common.replica.RackAwareReplicaSelector";
    /** Kafka's name of its default selector: always the leader. */
    String KAFKA_LEADER = "org.apache.kafka.common.replica.LeaderSelector";

    /** Consumers always read from the leader: Kafka's default. */
    ReplicaSelector LEADER = (clientRack, leader, followers) -> leader;

    /**
     * The replica a consumer in {@code clientRack} should read from.
     *
     * @param clientRack the consumer's {@code client.rack}; empty when it has none
     * @param leader     the leader, this broker
     * @param followers  the followers the consumer may read from: in sync and holding its fetch offset
     * @return the leader, or one of the followers
     */
    ReadReplica select(String clientRack, ReadReplica leader, List<ReadReplica> followers);

    /**
     * The selector a {@code replica.selector.class} value names: Kafka's class names map to
     * Gregor's implementations; unset means the leader only.
     *
     * @throws IllegalArgumentException for any other class name
     */
    static ReplicaSelector named(Optional<String> className) {
        if (className.isEmpty() || className.get().isBlank() || className.get().equalsIgnoreCase(KAFKA_LEADER)) {
            return LEADER;
        }
        if (className.get().equalsIgnoreCase(KAFKA_RACK_AWARE)) {
            return new RackAwareReplicaSelector();
        }
        throw new IllegalArgumentException("Unknown replica selector " + className.get() + "; supported: "
                + KAFKA_RACK_AWARE + ", " + KAFKA_LEADER);
    }
}
