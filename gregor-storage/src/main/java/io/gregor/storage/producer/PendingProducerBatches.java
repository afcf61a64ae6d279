package io.gregor.storage.producer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The producer-state changes of one append, collected while its batches are checked and given
 * offsets, and applied ({@link ProducerStateManager#apply}) only once the bytes are written, so a
 * refused or failed append leaves the state as it was. Later batches of the same request are
 * checked against earlier ones through {@link #lastOf}. Used under the log's lock by one thread.
 */
public final class PendingProducerBatches {
    record Pending(long producerId, short epoch, BatchMetadata batch) {
    }

    private final List<Pending> pending = new ArrayList<>(1);

    public void add(long producerId, short epoch, BatchMetadata batch) {
        pending.add(new Pending(producerId, epoch, batch));
    }

    Optional<Pending> lastOf(long producerId) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            if (pending.get(i).producerId() == producerId) {
                return Optional.of(pending.get(i));
            }
        }
        return Optional.empty();
    }

    List<Pending> all() {
        return pending;
    }
}
