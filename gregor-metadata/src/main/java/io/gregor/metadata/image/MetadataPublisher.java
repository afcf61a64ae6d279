package io.gregor.metadata.image;

/**
 * Acts on committed metadata: the broker creates and deletes partition logs, caches refresh.
 * Called on the controller's thread after each committed batch, in log order, and once at start
 * with the delta from the empty image to the replayed one. Implementations must be quick and must
 * not call back into the controller synchronously.
 */
@FunctionalInterface
public interface MetadataPublisher {
    void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage);
}
