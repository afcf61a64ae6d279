package io.gregor.storage.log;

import io.gregor.protocol.record.BaseRecords;
import io.gregor.protocol.record.MemoryRecords;

/**
 * The result of {@link PartitionLog#read}: whole batches from the one holding {@code fetchOffset}
 * (a {@link FileRecords} region, or {@link MemoryRecords#EMPTY}), and the log's offsets as they
 * were when the read began (FetchResponse partition fields).
 */
public record FetchDataInfo(long fetchOffset, BaseRecords records, long highWatermark, long logStartOffset,
                            long logEndOffset) {
    public boolean isEmpty() {
        return records.sizeInBytes() == 0;
    }
}
