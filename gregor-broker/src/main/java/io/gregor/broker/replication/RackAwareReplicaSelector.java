package io.gregor.broker.replication;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads from a replica in the consumer's rack: the leader when it is in that rack (or the
 * consumer names none, or no follower is there); otherwise the follower of that rack that is
 * furthest ahead, and of equally advanced ones the one caught up most recently. Racks match
 * exactly, as {@code broker.rack} and {@code client.rack} are written.
 */
public final class RackAwareReplicaSelector implements ReplicaSelector {
    private static final Comparator<ReadReplica> MOST_CAUGHT_UP = Comparator
            .comparingLong(ReadReplica::logEndOffset)
            .thenComparingLong(ReadReplica::lastCaughtUpTimeMs);

    @Override
    public ReadReplica select(String clientRack, ReadReplica leader, List<ReadReplica> followers) {
        if (clientRack == null || clientRack.isEmpty() || inRack(leader, clientRack)) {
            return leader;
        }
        Optional<ReadReplica> best = followers.stream()
                .filter(follower -> inRack(follower, clientRack))
                .max(MOST_CAUGHT_UP);
        return best.orElse(leader);
    }

    private static boolean inRack(ReadReplica replica, String rack) {
        return replica.rack().filter(rack::equals).isPresent();
    }
}
