package io.gregor.storage.cleaner;

import io.gregor.protocol.record.MemoryRecordsBuilder;
import io.gregor.protocol.record.Record;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.protocol.record.TimestampType;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Decides, batch by batch in offset order, what compaction keeps of a log, and hands the
 * surviving bytes on. A record is dropped when a later record of the same key is in the
 * {@link OffsetMap}; a tombstone (null value) and a transaction marker are kept until their
 * batch's delete horizon has passed, the horizon being set to now + delete.retention.ms the first
 * time the cleaner sees them; a marker also stays while records of its transaction remain; records
 * of aborted transactions are dropped. A batch keeps its offsets (gaps are fine), its first and
 * last offset, timestamps, producer id, epoch, base sequence and flags, and its codec; a batch
 * that loses every record disappears, except the last batch of a producer, which stays as an
 * empty header so the producer's sequence state can be rebuilt from the log. A batch that loses
 * nothing and needs no horizon is passed on byte for byte.
 * <p>
 * Not thread-safe; one per cleaning of one log (it tracks open transactions across batches).
 */
final class BatchRewriter {
    private final OffsetMap offsetMap;
    private final TransactionScan transactions;
    private final Map<Long, Long> lastBatchOffsetByProducer;
    private final long nowMs;
    private final long deleteRetentionMs;
    private final int maxDecompressedBytes;
    /** Producer id to whether its current transaction kept any batch, while we are inside it. */
    private final Map<Long, Boolean> transactionKeptData = new HashMap<>();
    private long earliestDeleteHorizonMs = Long.MAX_VALUE;
    private long recordsRead;
    private long recordsKept;

    BatchRewriter(OffsetMap offsetMap, TransactionScan transactions, Map<Long, Long> lastBatchOffsetByProducer,
                  long nowMs, long deleteRetentionMs, int maxDecompressedBytes) {
        this.offsetMap = offsetMap;
        this.transactions = transactions;
        this.lastBatchOffsetByProducer = lastBatchOffsetByProducer;
        this.nowMs = nowMs;
        this.deleteRetentionMs = deleteRetentionMs;
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** Passes what is kept of {@code batch} (whole batches, possibly none) to {@code out}. */
    void rewrite(RecordBatch batch, Consumer<ByteBuffer> out) {
        OptionalLong horizon = batch.deleteHorizonMs();
        boolean horizonPassed = horizon.isPresent() && horizon.getAsLong() <= nowMs;
        boolean aborted = batch.isTransactional() && !batch.isControlBatch()
                && transactions.isAborted(batch.producerId(), batch.baseOffset());
        // A marker ends its transaction: forget it, and drop the marker once nothing of it is left.
        boolean transactionKept = batch.isControlBatch()
                && Boolean.TRUE.equals(transactionKeptData.remove(batch.producerId()));
        boolean markerDroppable = batch.isControlBatch() && horizonPassed && !transactionKept;
        int[] kept = {0};
        boolean[] needsHorizon = {false};
        batch.forEachRecord(maxDecompressedBytes, record -> {
            recordsRead++;
            if (keep(record, batch.isControlBatch(), aborted, horizonPassed, markerDroppable)) {
                kept[0]++;
                needsHorizon[0] |= batch.isControlBatch() || !record.hasValue();
            }
        });
        recordsKept += kept[0];
        boolean keepEmptyHeader = kept[0] == 0 && !aborted && batch.hasProducerId() && !batch.isControlBatch()
                && Long.valueOf(batch.lastOffset()).equals(lastBatchOffsetByProducer.get(batch.producerId()));
        if (batch.isTransactional() && !batch.isControlBatch()) {
            transactionKeptData.merge(batch.producerId(), kept[0] > 0 || keepEmptyHeader, Boolean::logicalOr);
        }
        if (kept[0] == 0 && !keepEmptyHeader) {
            return;
        }
        OptionalLong newHorizon = needsHorizon[0] && horizon.isEmpty()
                ? OptionalLong.of(nowMs + deleteRetentionMs) : horizon;
        if (needsHorizon[0]) {
            earliestDeleteHorizonMs = Math.min(earliestDeleteHorizonMs, newHorizon.getAsLong());
        }
        if (kept[0] == batch.recordsCount() && newHorizon.equals(horizon)) {
            out.accept(batch.slice());
        } else {
            out.accept(rebuild(batch, newHorizon, aborted, horizonPassed, markerDroppable));
        }
    }

    private boolean keep(Record record, boolean control, boolean aborted, boolean horizonPassed,
                         boolean markerDroppable) {
        if (control) {
            return !markerDroppable;
        }
        if (aborted) {
            return false;
        }
        if (!record.hasKey()) {
            return true; // written before the topic was compacted: nothing to compare it with
        }
        if (offsetMap.get(record.key()) > record.offset()) {
            return false;
        }
        return record.hasValue() || !horizonPassed;
    }

    private ByteBuffer rebuild(RecordBatch batch, OptionalLong horizon, boolean aborted, boolean horizonPassed,
                               boolean markerDroppable) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder()
                .compression(batch.compressionType())
                .baseOffset(batch.baseOffset())
                .partitionLeaderEpoch(batch.partitionLeaderEpoch())
                .producer(batch.producerId(), batch.producerEpoch(), batch.baseSequence())
                .transactional(batch.isTransactional())
                .controlBatch(batch.isControlBatch())
                .keepLastOffset(batch.lastOffset());
        if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            builder.logAppendTime(batch.maxTimestamp());
        }
        horizon.ifPresent(builder::deleteHorizon);
        batch.forEachRecord(maxDecompressedBytes, record -> {
            if (keep(record, batch.isControlBatch(), aborted, horizonPassed, markerDroppable)) {
                builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(),
                        record.headers());
            }
        });
        return builder.build().buffer();
    }

    /** The earliest delete horizon among the batches kept, or Long.MAX_VALUE: when to clean again for tombstones. */
    long earliestDeleteHorizonMs() {
        return earliestDeleteHorizonMs;
    }

    long recordsRead() {
        return recordsRead;
    }

    long recordsKept() {
        return recordsKept;
    }
}
