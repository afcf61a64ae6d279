package io.gregor.tests;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.gregor.server.cli.GregorCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs the gregor command line, with {@code --bootstrap-server} added unless the arguments give
 * one: {@link #run} as a user does, a separate process (the test's classpath, main class
 * GregorCommand); {@link #runInProcess} the same command line in the test's JVM, capturing what
 * it prints on stdout and stderr and the exit code its main method would exit with. A JVM's
 * start costs one to two seconds on a busy machine, so tests that run many commands use the
 * second, and keep a few of the first for what only a real process shows (the entry point's
 * dispatch, the logging a real JVM sets up, System.exit's status).
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
        command.addAll(withBootstrap(bootstrap, args));
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

    /**
     * Runs the command line of {@code gregor} in this JVM, {@code stdin} as its standard input,
     * as {@code GregorCommand.main} does short of exiting. Not for {@code gregor server}, whose
     * start goes another way and ends in System.exit.
     */
    static Result runInProcess(String bootstrap, String stdin, String... args) {
        if (args[0].equals("server")) {
            throw new IllegalArgumentException("gregor server runs only as a separate process here");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = GregorCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        InputStream systemIn = System.in;
        // the command turns Kafka's client logs off, as it should in its own JVM; here they are
        // the test's logs, and stay as they were for the tests that run after
        Logger kafkaLogs = (Logger) LoggerFactory.getLogger("org.apache.kafka");
        Level kafkaLogLevel = kafkaLogs.getLevel();
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int exitCode = command.execute(withBootstrap(bootstrap, args).toArray(String[]::new));
            return new Result(exitCode, out.toString(), err.toString());
        } finally {
            System.setIn(systemIn);
            kafkaLogs.setLevel(kafkaLogLevel);
        }
    }

    private static List<String> withBootstrap(String bootstrap, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--bootstrap-server") && !args[0].equals("server")) {
            all.addAll(List.of("--bootstrap-server", bootstrap));
        }
        return all;
    }
}
