package io.gregor.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the gregor command line as a user does: a separate process (the test's classpath, main
 * class GregorCommand), with {@code --bootstrap-server} added unless the arguments give one.
 */
final class GregorCli {
    record Result(int exitCode, String out, String err) {
    }

    private GregorCli() {
    }

    /**
     * @param scratch a directory for the captured output
     * @param bootstrap the cluster to talk to
     */
    static Result run(Path scratch, String bootstrap, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a short-lived command: start fast rather than optimise for the long run
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "io.gregor.server.cli.GregorCommand"));
        command.addAll(List.of(args));
        if (!List.of(args).contains("--bootstrap-server") && !args[0].equals("server")) {
            command.addAll(List.of("--bootstrap-server", bootstrap));
        }
        try {
            Path out = Files.createTempFile(scratch, "out", ".txt");
            Path err = Files.createTempFile(scratch, "err", ".txt");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("gregor " + String.join(" ", args) + " did not finish");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
