package io.gregor.metadata.quorum;

/** Receives metadata batches once they are committed, in log order, each exactly once. */
@FunctionalInterface
public interface CommittedBatchListener {
    void onCommit(MetadataBatch batch);
}
