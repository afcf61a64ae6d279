package io.gregor.server.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command that talks to a cluster. */
final class ClientOptions {
    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT[,...]",
            defaultValue = "${GREGOR_BOOTSTRAP_SERVER:-localhost:9092}",
            description = "Broker(s) to connect to (default: ${DEFAULT-VALUE}; env GREGOR_BOOTSTRAP_SERVER).")
    String bootstrapServer;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long to wait for the cluster, e.g. 10s, 2m (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = {"-X", "--client-property"}, paramLabel = "KEY=VALUE",
            description = "A Kafka client property, e.g. -X security.protocol=SSL; repeatable.")
    Map<String, String> clientProperties = new LinkedHashMap<>();
}
