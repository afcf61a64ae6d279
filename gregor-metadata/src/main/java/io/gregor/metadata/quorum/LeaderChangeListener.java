package io.gregor.metadata.quorum;

import java.util.OptionalInt;

/**
 * Told when the leader of the metadata quorum changes: the new leader's node id, or empty while
 * an election is in progress. When this node becomes leader it is told once it is ready, that is
 * once every batch committed by earlier leaders has been delivered to its listener. Called on a
 * Ratis thread; must be quick.
 */
@FunctionalInterface
public interface LeaderChangeListener {
    void onLeaderChange(OptionalInt leaderId);
}
