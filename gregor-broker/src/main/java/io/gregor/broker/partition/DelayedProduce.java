package io.gregor.broker.partition;

import io.gregor.broker.purgatory.DelayedOperation;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An acks=all append waiting for the in-sync replicas: it completes when the high watermark
 * passes the append (woken by the follower fetch that moved it), when the partition stops being
 * led here under the epoch of the append, or with REQUEST_TIMED_OUT at its deadline.
 */
final class DelayedProduce extends DelayedOperation {
    private final Partition partition;
    private final long requiredOffset;
    private final int leaderEpoch;
    private final CompletableFuture<Void> committed;
    private volatile Optional<Errors> outcome = Optional.empty();

    DelayedProduce(Partition partition, long requiredOffset, int leaderEpoch, long deadlineNanos,
                   CompletableFuture<Void> committed) {
        super(deadlineNanos);
        this.partition = partition;
        this.requiredOffset = requiredOffset;
        this.leaderEpoch = leaderEpoch;
        this.committed = committed;
    }

    @Override
    protected boolean isSatisfied() {
        outcome = partition.commitOutcome(requiredOffset, leaderEpoch);
        return outcome.isPresent();
    }

    @Override
    protected void onComplete() {
        Errors error = outcome.orElse(Errors.REQUEST_TIMED_OUT);
        if (error == Errors.NONE) {
            committed.complete(null);
        } else {
            committed.completeExceptionally(new ApiException(error, "The append to " + partition.topicPartition()
                    + " up to offset " + requiredOffset + " was not acknowledged by the in-sync replicas: " + error));
        }
    }
}
