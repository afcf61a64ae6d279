package io.gregor.metadata.quorum;

/** Receives metadata batches once they are committed, in log order, each exactly once. */
@FunctionalInterface
public interface CommittedBatchListener {
    void onCommit(MetadataBatch batch);

    /**
     * The log continues from a snapshot rather than from what this listener saw so far: the state
     * is replaced by the snapshot's, and later batches follow it. A replicated log calls this when
     * it starts from a snapshot, and on a follower so far behind that the leader sends a snapshot
     * instead of the batches it missed. {@link LocalMetadataLog} never calls it.
     *
     * @throws UnsupportedOperationException unless the listener can load snapshots
     */
    default void onSnapshot(MetadataSnapshot snapshot) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot load a metadata snapshot");
    }
}
