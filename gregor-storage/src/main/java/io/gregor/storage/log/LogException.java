package io.gregor.storage.log;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;

/**
 * Base of the storage errors, one subclass per Kafka error code ({@link #error()}); the handler
 * boundary turns them into the response's error code like any other {@link ApiException}.
 */
public abstract sealed class LogException extends ApiException
        permits CorruptRecordException, InvalidRecordException, RecordTooLargeException,
        RecordBatchTooLargeException, OffsetOutOfRangeException, KafkaStorageException,
        InvalidTimestampException {
    protected LogException(Errors error, String message) {
        super(error, message);
    }

    protected LogException(Errors error, String message, Throwable cause) {
        super(error, message, cause);
    }
}
