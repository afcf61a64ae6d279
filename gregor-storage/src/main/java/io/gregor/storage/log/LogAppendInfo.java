package io.gregor.storage.log;

/**
 * What an append did: the offsets it took, the broker timestamp it stamped (or
 * {@code RecordBatch.NO_TIMESTAMP} under CreateTime), the log start offset at that moment, and
 * how many records it held (ProduceResponse fields; count for metrics and the flush policy).
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long logAppendTime, long logStartOffset,
                            int recordCount) {
}
