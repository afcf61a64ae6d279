package io.gregor.broker.api;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.CorruptRecordException;
import io.gregor.storage.log.InvalidRecordException;
import io.gregor.storage.log.InvalidTimestampException;
import io.gregor.storage.log.LogException;
import io.gregor.storage.log.OffsetOutOfRangeException;
import io.gregor.storage.log.RecordBatchTooLargeException;
import io.gregor.storage.log.RecordTooLargeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;

/**
 * The one place where exceptions from below the handlers become wire error codes. Handlers
 * report per-partition or per-resource errors with it, so one bad partition fails only itself.
 */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    public static Errors toError(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiException api) {
            return api.error();
        }
        if (cause instanceof LogException logError) {
            return forLogException(logError);
        }
        if (cause instanceof CorruptRecordException) {
            return Errors.CORRUPT_MESSAGE;
        }
        if (cause instanceof IOException || cause instanceof UncheckedIOException) {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    private static Errors forLogException(LogException failure) {
        if (failure instanceof io.gregor.storage.log.CorruptRecordException) {
            return Errors.CORRUPT_MESSAGE;
        } else if (failure instanceof InvalidRecordException) {
            return Errors.INVALID_RECORD;
        } else if (failure instanceof InvalidTimestampException) {
            return Errors.INVALID_TIMESTAMP;
        } else if (failure instanceof RecordTooLargeException) {
            return Errors.MESSAGE_TOO_LARGE;
        } else if (failure instanceof RecordBatchTooLargeException) {
            return Errors.RECORD_LIST_TOO_LARGE;
        } else if (failure instanceof OffsetOutOfRangeException) {
            return Errors.OFFSET_OUT_OF_RANGE;
        }
        return Errors.KAFKA_STORAGE_ERROR;
    }

    /** The message for a response's error_message field; internal errors are not described. */
    public static String message(Throwable failure) {
        Throwable cause = unwrap(failure);
        return toError(cause) == Errors.UNKNOWN_SERVER_ERROR ? null : cause.getMessage();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
