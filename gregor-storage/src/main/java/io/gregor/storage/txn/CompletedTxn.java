package io.gregor.storage.txn;

/**
 * A transaction a marker just ended in one partition: the producer's first offset of the
 * transaction there, the marker's offset, and whether it was aborted.
 */
public record CompletedTxn(long producerId, long firstOffset, long markerOffset, boolean aborted) {
}
