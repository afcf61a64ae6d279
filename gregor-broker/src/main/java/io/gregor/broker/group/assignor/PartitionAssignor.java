package io.gregor.broker.group.assignor;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A server-side assignor of the consumer group protocol (KIP-848): given the members, what
 * they subscribe to and the partitions of those topics, the target assignment of every member.
 * The coordinator runs it whenever the group epoch moves past the assignment epoch; members
 * then reconcile towards its answer. Implementations are pure functions of the spec, so every
 * run with the same input gives the same answer.
 */
public interface PartitionAssignor {
    /** The name clients choose it by ({@code group.remote.assignor}) and brokers list it by. */
    String name();

    /** Partitions by topic id for every member of the spec (members without any get an empty map). */
    Map<String, Map<UUID, Set<Integer>>> assign(AssignmentSpec spec);
}
