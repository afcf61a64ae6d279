package io.gregor.broker.partition;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.BaseRecords;
import io.gregor.protocol.record.MemoryRecords;

/** One partition's share of a fetch: its records (a file region, not a copy) and offsets. */
public record ReadOutcome(Errors error, BaseRecords records, long highWatermark, long lastStableOffset,
                          long logStartOffset) {

    static ReadOutcome failed(Errors error) {
        return new ReadOutcome(error, MemoryRecords.EMPTY, -1, -1, -1);
    }
}
