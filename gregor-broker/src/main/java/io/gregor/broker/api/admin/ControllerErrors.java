package io.gregor.broker.api.admin;

import io.gregor.metadata.control.ApiError;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where a failed controller operation becomes a wire error. Validation failures are
 * already {@link ApiError}s in the results; what arrives here is an exception: an
 * {@link ApiException} keeps its code, anything else (the metadata log could not be written, the
 * controller is closed) is UNKNOWN_SERVER_ERROR with the exception's message.
 */
public final class ControllerErrors {
    /** A topic the client's controller_mutation_rate did not admit, in Kafka's words. */
    public static final ApiError THROTTLING_QUOTA_EXCEEDED =
            ApiError.of(Errors.THROTTLING_QUOTA_EXCEEDED, "The throttling quota has been exceeded.");

    private ControllerErrors() {
    }

    public static ApiError toApiError(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException api) {
            return ApiError.of(api.error(), api.getMessage() == null ? api.error().message() : api.getMessage());
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return ApiError.of(Errors.UNKNOWN_SERVER_ERROR, message);
    }

    /** The error_message field for an outcome: absent (null on the wire) when there is no error. */
    public static String wireMessage(ApiError error) {
        return error.isSuccess() ? null : error.messageOrDefault();
    }
}
