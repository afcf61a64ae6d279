package io.gregor.storage.producer;

/**
 * Where one batch of a producer landed: its sequence range, its offset range and its max
 * timestamp. Kept for the last few batches of each producer so a retried batch can be answered
 * with its original offsets instead of being written twice.
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
}
