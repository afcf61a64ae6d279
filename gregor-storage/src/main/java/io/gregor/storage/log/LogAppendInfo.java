package io.gregor.storage.log;

/**
 * What an append did: the offsets it took, the broker timestamp it stamped (or
 * {@code RecordBatch.NO_TIMESTAMP} under CreateTime), the log start offset at that moment, and
 * how many records it held (ProduceResponse fields; count for metrics and the flush policy).
 * {@code duplicate} marks a retried idempotent batch that was already in the log: nothing was
 * written (count 0) and the offsets are those of the original append.
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long logAppendTime, long logStartOffset,
                            int recordCount, boolean duplicate) {
}
