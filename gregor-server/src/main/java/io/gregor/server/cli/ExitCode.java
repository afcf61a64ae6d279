package io.gregor.server.cli;

/** Exit codes scripts can rely on. */
final class ExitCode {
    static final int OK = 0;
    /** The operation failed: no broker, unknown topic, broker refused the request. */
    static final int FAILURE = 1;
    /** Bad usage: unknown option, missing argument, invalid value or configuration. */
    static final int USAGE = 2;

    private ExitCode() {
    }
}
