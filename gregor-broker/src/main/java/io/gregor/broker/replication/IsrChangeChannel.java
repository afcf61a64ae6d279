package io.gregor.broker.replication;

import java.util.concurrent.CompletableFuture;

/**
 * Where a partition leader sends ISR changes: to the active controller, which writes them to
 * the metadata log. The future completes with the partition as committed (its new ISR and
 * partition epoch), or exceptionally with an {@link io.gregor.protocol.error.ApiException}
 * (FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, NOT_CONTROLLER, ...) when the change was refused;
 * the leader then keeps its committed ISR and tries again when the reason for the change still
 * holds.
 *
 * <p>A port, so that the partition logic does not care whether the controller runs in this
 * process (a single node, tests) or across the network.
 */
@FunctionalInterface
public interface IsrChangeChannel {
    CompletableFuture<CommittedIsr> alterPartition(IsrChange change);
}
