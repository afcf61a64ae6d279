package io.gregor.protocol.error;

/**
 * A failure that has a Kafka error code. Code below the API handlers throws it; the handler
 * boundary turns it into the response's {@code error_code} and {@code error_message}.
 */
public class ApiException extends RuntimeException {
    private final Errors error;

    public ApiException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public ApiException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
