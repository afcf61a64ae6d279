package io.gregor.server.cli;

import io.gregor.protocol.config.ConfigException;
import io.gregor.server.config.ServerProperties.InvalidServerPropertiesException;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr and an exit code (1 failed, 2 bad usage); the
 * stack trace only with {@code --verbose}. The one place where exceptions meet the user.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String suggestion = "";
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            suggestion = "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        err.println("Error: " + ex.getMessage() + suggestion
                + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        if (isVerbose(args)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        Throwable cause = unwrap(ex);
        PrintWriter err = cmd.getErr();
        err.println("Error: " + message(cause));
        if (isVerbose(parseResult.originalArgs().toArray(String[]::new))) {
            cause.printStackTrace(err);
        }
        err.flush();
        return exitCode(cause);
    }

    /** The same report for a command run without picocli (a server's plain arguments, never --verbose). */
    static int report(Exception ex, PrintWriter err) {
        Throwable cause = unwrap(ex);
        err.println("Error: " + message(cause));
        err.flush();
        return exitCode(cause);
    }

    static int exitCode(Throwable cause) {
        if (cause instanceof UsageException || cause instanceof ConfigException
                || cause instanceof InvalidServerPropertiesException || cause instanceof ParameterException) {
            return ExitCode.USAGE;
        }
        return ExitCode.FAILURE;
    }

    /** The one line shown for a failure: our own messages as they are, Kafka's made readable. */
    static String message(Throwable cause) {
        if (cause instanceof CliException || cause instanceof UsageException || cause instanceof ConfigException
                || cause instanceof InvalidServerPropertiesException) {
            return cause.getMessage();
        }
        if (cause instanceof TimeoutException) {
            return "Timed out waiting for the cluster: " + firstLine(cause.getMessage())
                    + " (is the broker up? --timeout sets how long to wait)";
        }
        if (cause instanceof ApiException || cause instanceof KafkaException) {
            return "The cluster refused: " + firstLine(cause.getMessage());
        }
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return firstLine(text);
    }

    static Throwable unwrap(Throwable ex) {
        Throwable current = ex;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static boolean isVerbose(String[] args) {
        for (String arg : args) {
            if (arg.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
