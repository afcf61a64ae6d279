package io.gregor.server.cli;

/** The operation was understood but failed (no broker, unknown topic): exit code 1, one line. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
