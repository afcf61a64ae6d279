package io.gregor.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the gregor command line in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(String... args) {
        return run(GregorCommand.commandLine(), args);
    }

    static CliRun run(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** stderr without its final newline, and asserting it was exactly one line. */
    String errLine() {
        String trimmed = err.stripTrailing();
        if (trimmed.contains("\n")) {
            throw new AssertionError("expected one line on stderr, got:\n" + err);
        }
        return trimmed;
    }
}
