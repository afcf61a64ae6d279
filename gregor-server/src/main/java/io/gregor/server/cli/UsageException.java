package io.gregor.server.cli;

/**
 * The user asked for something that cannot work as written (a malformed timestamp, an invalid
 * config value): exit code 2, like a picocli usage error, with a one-line message.
 */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
