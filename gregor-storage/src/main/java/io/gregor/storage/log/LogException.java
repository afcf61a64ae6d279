package io.gregor.storage.log;

/**
 * Base of the storage errors a caller maps to wire error codes, one subclass per Kafka error
 * (named in each subclass's comment); the broker maps them at one boundary.
 */
public abstract sealed class LogException extends RuntimeException
        permits CorruptRecordException, InvalidRecordException, RecordTooLargeException,
        RecordBatchTooLargeException, OffsetOutOfRangeException, KafkaStorageException,
        InvalidTimestampException {
    protected LogException(String message) {
        super(message);
    }

    protected LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
