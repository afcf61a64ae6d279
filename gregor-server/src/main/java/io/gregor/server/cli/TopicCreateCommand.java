package io.gregor.server.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gregor topic create NAME}. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a topic.",
        footer = {"", "Examples:",
                "  gregor topic create orders --partitions 3",
                "  gregor topic create users --config cleanup.policy=compact --config retention.ms=-1"})
final class TopicCreateCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TOPIC", description = "Name of the topic.")
    String topic;

    @Option(names = {"-p", "--partitions"}, paramLabel = "N",
            description = "Number of partitions (default: the broker's num.partitions).")
    Integer partitions;

    @Option(names = {"-r", "--replication-factor"}, paramLabel = "N",
            description = "Copies of each partition (default: the broker's default.replication.factor).")
    Short replicationFactor;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "A topic config such as retention.ms=86400000; repeatable.")
    Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--if-not-exists", description = "Succeed when the topic already exists.")
    boolean ifNotExists;

    @Option(names = "--validate-only", description = "Check that the topic could be created, without creating it.")
    boolean validateOnly;

    @Override
    public Integer call() throws Exception {
        if (partitions != null && partitions < 1) {
            throw new UsageException("Invalid partition count " + partitions + ": a topic needs at least 1 partition");
        }
        if (replicationFactor != null && replicationFactor < 1) {
            throw new UsageException("Invalid replication factor " + replicationFactor + ": must be at least 1");
        }
        NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                .configs(configs);
        try (Admin admin = admin()) {
            CreateTopicsResult result = admin.createTopics(List.of(newTopic),
                    new CreateTopicsOptions().validateOnly(validateOnly));
            try {
                result.all().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    if (ifNotExists) {
                        out().println("Topic " + topic + " already exists");
                        return ExitCode.OK;
                    }
                    throw new CliException("Topic " + topic + " already exists (use --if-not-exists to accept that)");
                }
                throw e;
            }
            String shape = describeShape(result);
            out().println((validateOnly ? "Topic " + topic + " can be created" : "Created topic " + topic) + shape);
        }
        return ExitCode.OK;
    }

    /** " (3 partitions, replication factor 1)" as the broker reports it; older brokers do not. */
    private String describeShape(CreateTopicsResult result) {
        try {
            return " (" + result.numPartitions(topic).get() + " partitions, replication factor "
                    + result.replicationFactor(topic).get() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException e) {
            return "";
        }
    }
}
