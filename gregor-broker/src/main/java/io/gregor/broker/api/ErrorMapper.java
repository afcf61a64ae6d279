package io.gregor.broker.api;

import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.record.CorruptRecordException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;

/**
 * The one place where exceptions from below the handlers become wire error codes. Storage and
 * controller errors are {@link ApiException}s that carry their code. Handlers
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
        if (cause instanceof CorruptRecordException) {
            return Errors.CORRUPT_MESSAGE;
        }
        if (cause instanceof IOException || cause instanceof UncheckedIOException) {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /** The message for a response's error_message field; internal errors are not described. */
    public static String message(Throwable failure) {
        Throwable cause = unwrap(failure);
        return toError(cause) == Errors.UNKNOWN_SERVER_ERROR ? null : cause.getMessage();
    }

    /** The failure itself, out of the {@code CompletionException}s a future wraps it in. */
    public static Throwable cause(Throwable failure) {
        return unwrap(failure);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
