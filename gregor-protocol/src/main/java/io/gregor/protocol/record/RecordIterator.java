package io.gregor.protocol.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads the records of one batch from its uncompressed records section, checking that the
 * section holds exactly the number of records the batch header declares.
 */
final class RecordIterator implements Iterator<Record> {
    private final ByteBuffer records;
    private final long baseOffset;
    private final long baseTimestamp;
    private final TimestampType timestampType;
    private final long logAppendTime;
    private final int count;
    private final Record reused;
    private int read;

    /** @param reused the instance every next() overwrites, or null for a fresh Record each time */
    RecordIterator(ByteBuffer records, RecordBatch batch, Record reused) {
        this.records = records;
        this.reused = reused;
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.timestampType = batch.timestampType();
        this.logAppendTime = timestampType == TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp() : RecordBatch.NO_TIMESTAMP;
        this.count = batch.recordsCount();
        if (count < 0) {
            throw new CorruptRecordException("Negative record count " + count);
        }
    }

    @Override
    public boolean hasNext() {
        if (read < count) {
            if (!records.hasRemaining()) {
                throw new CorruptRecordException("Batch declares " + count + " records but holds " + read);
            }
            return true;
        }
        if (records.hasRemaining()) {
            throw new CorruptRecordException("Batch has " + records.remaining() + " bytes after its " + count
                    + " declared records");
        }
        return false;
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        read++;
        if (reused == null) {
            return Record.readFrom(records, baseOffset, baseTimestamp, timestampType, logAppendTime);
        }
        reused.read(records, baseOffset, baseTimestamp, timestampType, logAppendTime);
        return reused;
    }
}
