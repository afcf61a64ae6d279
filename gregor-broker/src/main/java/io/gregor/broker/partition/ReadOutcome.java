package io.gregor.broker.partition;

import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.BaseRecords;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.storage.txn.AbortedTxn;
import java.util.List;

/**
 * One partition's share of a fetch: its records (a file region, not a copy), offsets, and for a
 * read_committed fetch the aborted transactions overlapping the records (null otherwise, which
 * the wire shows as a null array, as Kafka does for read_uncommitted).
 */
public record ReadOutcome(Errors error, BaseRecords records, long highWatermark, long lastStableOffset,
                          long logStartOffset, List<AbortedTxn> abortedTransactions) {

    static ReadOutcome failed(Errors error) {
        return new ReadOutcome(error, MemoryRecords.EMPTY, -1, -1, -1, null);
    }
}
