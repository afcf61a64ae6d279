package io.gregor.broker.replication;

import java.util.Optional;

/**
 * What a leader knows of one replica of a partition when it chooses where a consumer reads
 * (KIP-392): the broker, its rack, and how far the replica is.
 *
 * @param brokerId           the replica's broker
 * @param rack               the broker's {@code broker.rack}, if it has one
 * @param logEndOffset       the replica's log end offset as of its latest fetch (the leader's own for the leader)
 * @param lastCaughtUpTimeMs when the replica last had everything the leader had
 */
public record ReadReplica(int brokerId, Optional<String> rack, long logEndOffset, long lastCaughtUpTimeMs) {
}
