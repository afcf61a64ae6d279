package io.gregor.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Gregor as {@code gregor server} runs it, with the listener and data directory overridden. */
final class GregorServer extends BrokerUnderTest {
    GregorServer(ChildJvm jvm, Path workDir) throws IOException {
        super(jvm, workDir);
    }

    @Override
    String name() {
        return "Gregor";
    }

    @Override
    void prepare() {
        // nothing: Gregor formats its data directory on first start
    }

    @Override
    Process launch() throws IOException {
        return jvm.start(brokerJvmOptions(writeLogbackConfig()), "io.gregor.server.cli.GregorCommand",
                List.of("server",
                        "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                        "--override", "log.dirs=" + dataDir(),
                        "--override", "num.partitions=3",
                        "--override", "log.cleaner.backoff.ms=" + CompareRun.CLEANER_BACKOFF_MS),
                brokerLog());
    }
}
