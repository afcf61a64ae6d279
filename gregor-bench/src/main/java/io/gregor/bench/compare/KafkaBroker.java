package io.gregor.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka 4.1 in KRaft combined mode (one process is broker and controller), otherwise
 * with the defaults of its shipped config/server.properties. The storage is formatted with a
 * random cluster id before the timed start, as an operator would do once.
 */
final class KafkaBroker extends BrokerUnderTest {
    private final int controllerPort;

    KafkaBroker(ChildJvm jvm, Path workDir) throws IOException {
        super(jvm, workDir);
        this.controllerPort = freePort();
    }

    @Override
    String name() {
        return "Kafka";
    }

    private Path serverProperties() {
        return workDir.resolve("server.properties");
    }

    @Override
    void prepare() throws IOException, InterruptedException {
        Files.writeString(serverProperties(), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                // the rest as in Kafka's shipped config/server.properties
                "num.network.threads=3",
                "num.io.threads=8",
                "socket.send.buffer.bytes=102400",
                "socket.receive.buffer.bytes=102400",
                "socket.request.max.bytes=104857600",
                "log.dirs=" + dataDir(),
                "num.partitions=3",
                "num.recovery.threads.per.data.dir=1",
                "offsets.topic.replication.factor=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "log.retention.hours=168",
                "log.segment.bytes=1073741824",
                "log.retention.check.interval.ms=300000",
                // the compaction phase times the cleaner, not its 15 s idle back-off (Gregor gets the same)
                "log.cleaner.backoff.ms=" + CompareRun.CLEANER_BACKOFF_MS,
                ""));
        jvm.run(ChildJvm.TOOL_JVM_OPTIONS, "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", serverProperties().toString()),
                workDir.resolve("format.log"), Duration.ofSeconds(60));
    }

    @Override
    Process launch() throws IOException {
        List<String> options = new ArrayList<>(brokerJvmOptions());
        options.add("-Dlogback.configurationFile=" + writeLogbackConfig());
        return jvm.start(options, "kafka.Kafka",
                List.of(serverProperties().toString()), brokerLog());
    }
}
