package io.gregor.metadata.image;

/**
 * Acts on committed metadata: the broker creates and deletes partition logs, caches refresh.
 * Called after each committed batch, in log order, one at a time, and once at start with the delta
 * from the empty image to the replayed one; on the controller's thread with the local log, on
 * Ratis' apply thread with the Raft log. Implementations must be quick and must not call back into
 * the controller synchronously.
 */
@FunctionalInterface
public interface MetadataPublisher {
    void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage);
}
