package io.gregor.metadata.control;

import io.gregor.protocol.error.Errors;
import java.util.Objects;
import java.util.Optional;

/** The outcome of one item of an operation: a Kafka error code and the message sent with it. */
public record ApiError(Errors error, Optional<String> message) {
    public static final ApiError NONE = new ApiError(Errors.NONE, Optional.empty());

    public ApiError {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    public static ApiError of(Errors error, String message) {
        return new ApiError(error, Optional.of(message));
    }

    public boolean isSuccess() {
        return error == Errors.NONE;
    }

    /** The specific message, or the error's default one; what goes into error_message fields. */
    public String messageOrDefault() {
        return message.orElseGet(error::message);
    }
}
