package io.gregor.storage.producer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The producer-state changes of one append, collected while its batches are checked and given
 * offsets, and applied ({@link ProducerStateManager#apply}) only once the bytes are written, so a
 * refused or failed append leaves the state as it was: data batches (which open a transaction
 * when transactional) and transaction markers (which end one), in log order. Later batches of the
 * same request are checked against earlier ones through {@link #lastOf}. Used under the log's
 * lock by one thread.
 */
public final class PendingProducerBatches {
    sealed interface Change permits Pending, PendingMarker {
    }

    record Pending(long producerId, short epoch, BatchMetadata batch, boolean transactional) implements Change {
    }

    record PendingMarker(long producerId, short epoch, int coordinatorEpoch, boolean aborted, long offset,
                         long timestamp) implements Change {
    }

    private final List<Change> changes = new ArrayList<>(1);

    public void add(long producerId, short epoch, BatchMetadata batch, boolean transactional) {
        changes.add(new Pending(producerId, epoch, batch, transactional));
    }

    public void addMarker(long producerId, short epoch, int coordinatorEpoch, boolean aborted, long offset,
                          long timestamp) {
        changes.add(new PendingMarker(producerId, epoch, coordinatorEpoch, aborted, offset, timestamp));
    }

    Optional<Pending> lastOf(long producerId) {
        for (int i = changes.size() - 1; i >= 0; i--) {
            if (changes.get(i) instanceof Pending pending && pending.producerId() == producerId) {
                return Optional.of(pending);
            }
        }
        return Optional.empty();
    }

    List<Change> all() {
        return changes;
    }
}
