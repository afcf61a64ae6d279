package io.gregor.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gregor as a user starts it: {@code bin/gregor server} (the runnable jar, and the class-data
 * archive the script keeps next to it), with the broker JVM options in {@code GREGOR_OPTS} and
 * the listener and data directory overridden. It logs to the console, as it does out of the box,
 * which the bench keeps as broker.log.
 */
final class GregorServer extends BrokerUnderTest {
    /** The repository's root, where bin/gregor is; bin/gregor-bench passes it. */
    private static final Path HOME = Path.of(System.getProperty("gregor.home", "."));

    GregorServer(ChildJvm jvm, Path workDir) throws IOException {
        super(jvm, workDir);
    }

    @Override
    String name() {
        return "Gregor";
    }

    /**
     * Starts and stops a throw-away broker once, untimed, as a user's first start after a build
     * does: bin/gregor then makes the class-data archive that later starts map (Kafka's storage
     * format is the same kind of once-only step).
     */
    @Override
    void prepare() throws IOException, InterruptedException {
        Path data = Files.createTempDirectory(workDir, "first-start-");
        Process first = gregor(List.of("server", "--stop-after-start",
                "--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override", "log.dirs=" + data),
                workDir.resolve("first-start.log"));
        if (!first.waitFor(120, TimeUnit.SECONDS)) {
            first.destroyForcibly().waitFor();
            throw new IOException("bin/gregor's first start did not finish; see " + workDir.resolve("first-start.log"));
        }
        deleteRecursively(data);
    }

    @Override
    Process launch() throws IOException {
        return gregor(List.of("server",
                        "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                        "--override", "log.dirs=" + dataDir(),
                        "--override", "num.partitions=3",
                        "--override", "log.cleaner.backoff.ms=" + CompareRun.CLEANER_BACKOFF_MS),
                brokerLog());
    }

    /** bin/gregor with these arguments; it execs the JVM, so the process is the broker's. */
    private Process gregor(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin").resolve("gregor").toAbsolutePath().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("GREGOR_OPTS", String.join(" ", brokerJvmOptions()));
        builder.environment().put("JAVA_HOME", jvm.javaHome());
        builder.environment().put("PATH", Path.of(jvm.javaHome(), "bin") + ":" + System.getenv("PATH"));
        return builder.start();
    }
}
