package io.gregor.tests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Kafka client written in another language (node, python3, kcat) as a child process and
 * collects what it printed. Its output goes to files rather than pipes, so a client that prints
 * a lot cannot block on a full pipe and one that hangs is still stopped at the timeout.
 */
final class ChildProcess {
    private ChildProcess() {
    }

    /** What a finished child printed, and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }

        /** For assertion messages: everything the child said. */
        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /**
     * Fails the calling test, with {@code installHint} in the message, unless {@code command}
     * (a version query such as {@code node --version}) starts and exits 0. A missing client is a
     * failure, not a skip: .ci/run installs every one of them.
     */
    static void require(String installHint, String... command) {
        Result result;
        try {
            result = run(Path.of("."), "", Duration.ofSeconds(30), List.of(command));
        } catch (IOException e) {
            throw new AssertionError("`" + String.join(" ", command) + "` cannot run (" + e.getMessage() + "): "
                    + installHint, e);
        }
        if (result.exitCode() != 0) {
            throw new AssertionError("`" + String.join(" ", command) + "` failed: " + installHint + "\n" + result);
        }
    }

    static Result run(Path workingDir, String stdin, Duration timeout, List<String> command) throws IOException {
        Path stdout = Files.createTempFile("gregor-child-", ".out");
        Path stderr = Files.createTempFile("gregor-child-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workingDir.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            boolean finished = waitFor(process, timeout);
            Result result = new Result(finished ? process.exitValue() : -1,
                    Files.readString(stdout), Files.readString(stderr));
            if (!finished) {
                throw new AssertionError("`" + String.join(" ", command) + "` did not finish within " + timeout
                        + "\n" + result);
            }
            return result;
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return false;
    }
}
