package io.gregor.storage.txn;

/**
 * An aborted transaction of one producer in one partition: its data lies in
 * [{@code firstOffset}, {@code lastOffset}] where {@code lastOffset} is the ABORT marker, and
 * {@code lastStableOffset} was the partition's last stable offset once the marker was written.
 * read_committed consumers receive these with a fetch to skip the producer's batches from
 * {@code firstOffset} up to its abort marker.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
}
