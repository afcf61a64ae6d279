package io.gregor.storage.txn;

import io.gregor.protocol.record.ControlRecordType;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.MemoryRecordsBuilder;
import io.gregor.protocol.record.Record;
import io.gregor.protocol.record.RecordBatch;
import java.util.Iterator;
import java.util.Optional;

/** The content of a transaction marker: a control batch whose one record is COMMIT or ABORT. */
public record TxnMarker(ControlRecordType type, int coordinatorEpoch) {

    public boolean aborted() {
        return type == ControlRecordType.ABORT;
    }

    /**
     * The control batch carrying this marker for a producer: transactional, with the producer's id
     * and epoch and no sequence, offsets to be assigned by the leader's append.
     */
    public MemoryRecords toBatch(long producerId, short producerEpoch, long timestamp) {
        MemoryRecordsBuilder builder = MemoryRecordsBuilder.builder()
                .producer(producerId, producerEpoch, RecordBatch.NO_SEQUENCE)
                .transactional(true)
                .controlBatch(true);
        builder.appendEndTransactionMarker(timestamp, type, coordinatorEpoch);
        return builder.build();
    }

    /** The marker a control batch holds; empty for a control batch of another kind. */
    public static Optional<TxnMarker> of(RecordBatch controlBatch) {
        Iterator<Record> records = controlBatch.records().iterator();
        if (!records.hasNext()) {
            return Optional.empty();
        }
        Record record = records.next();
        return ControlRecordType.of(record)
                .map(type -> new TxnMarker(type, ControlRecordType.coordinatorEpoch(record)));
    }
}
