package io.gregor.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM with the bench's own JDK and classpath. Brokers and load
 * tools run as separate processes so that /proc counts only the broker's CPU and memory, and
 * so that neither broker inherits the other's JIT or heap state.
 */
final class ChildJvm {
    /** Apache Kafka's default broker JVM options (kafka-run-class.sh / kafka-server-start.sh); Gregor gets the same. */
    static final List<String> BROKER_JVM_OPTIONS = List.of(
            "-Xmx1G", "-Xms1G", "-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true");
    /** The heap kafka-producer-perf-test.sh gives the tools. */
    static final List<String> TOOL_JVM_OPTIONS = List.of("-Xmx512M", "-Djava.awt.headless=true");

    private final String javaBinary;
    private final String classpath;

    ChildJvm(String javaBinary, String classpath) {
        this.javaBinary = javaBinary;
        this.classpath = classpath;
    }

    static ChildJvm ofCurrentProcess() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ChildJvm(java, System.getProperty("java.class.path"));
    }

    /** The JDK the children run on, for children started through a script (bin/gregor). */
    String javaHome() {
        return Path.of(javaBinary).getParent().getParent().toString();
    }

    /** Starts the class with its output going to {@code log}; the caller owns the process. */
    Process start(List<String> jvmOptions, String mainClass, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** How a tool run ended. */
    record Outcome(int exitCode, String output) {
    }

    /** Runs the class to completion and returns its output; fails on a non-zero exit or a timeout. */
    String run(List<String> jvmOptions, String mainClass, List<String> args, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Outcome outcome = runToEnd(jvmOptions, mainClass, args, log, timeout);
        if (outcome.exitCode() != 0) {
            throw new IOException(mainClass + " exited with " + outcome.exitCode() + "; output in " + log
                    + "\n" + tail(outcome.output()));
        }
        return outcome.output();
    }

    /** Runs the class to completion whatever its exit code; fails only on a timeout. */
    Outcome runToEnd(List<String> jvmOptions, String mainClass, List<String> args, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Process process = start(jvmOptions, mainClass, args, log);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException(mainClass + " did not finish within " + timeout + "; output in " + log);
        }
        return new Outcome(process.exitValue(), Files.readString(log));
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        StringBuilder tail = new StringBuilder();
        for (int i = Math.max(0, lines.length - 15); i < lines.length; i++) {
            tail.append("  | ").append(lines[i]).append('\n');
        }
        return tail.toString();
    }
}
