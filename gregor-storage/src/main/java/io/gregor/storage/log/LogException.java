package io.gregor.storage.log;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.util.Optional;

/**
 * Base of the storage errors, one subclass per Kafka error code ({@link #error()}); the handler
 * boundary turns them into the response's error code like any other {@link ApiException}.
 */
public abstract sealed class LogException extends ApiException
        permits CorruptRecordException, InvalidRecordException, RecordTooLargeException,
        RecordBatchTooLargeException, OffsetOutOfRangeException, KafkaStorageException,
        InvalidTimestampException {
    /** Why a batch was refused, where Kafka meters that reason; none for other failures. */
    private final Optional<BatchDefect> defect;

    protected LogException(Errors error, String message) {
        this(error, message, Optional.empty());
    }

    protected LogException(Errors error, String message, Optional<BatchDefect> defect) {
        super(error, message);
        this.defect = defect;
    }

    protected LogException(Errors error, String message, Throwable cause) {
        super(error, message, cause);
        this.defect = Optional.empty();
    }

    public Optional<BatchDefect> defect() {
        return defect;
    }
}
