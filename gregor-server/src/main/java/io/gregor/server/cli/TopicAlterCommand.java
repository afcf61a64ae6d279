package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gregor topic alter TOPIC --config k=v --delete-config k}: incremental config changes. */
@Command(name = "alter", mixinStandardHelpOptions = true,
        description = "Set or remove a topic's configs; other configs keep their values.",
        footer = {"", "Example:", "  gregor topic alter orders --config retention.ms=3600000 --delete-config cleanup.policy"})
final class TopicAlterCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic to change.")
    String topic;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Set a config; repeatable.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--delete-config", paramLabel = "KEY",
            description = "Remove a config so the default applies again; repeatable.")
    List<String> delete = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (set.isEmpty() && delete.isEmpty()) {
            throw new UsageException("Nothing to change: give --config KEY=VALUE or --delete-config KEY");
        }
        List<AlterConfigOp> ops = new ArrayList<>();
        set.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
        delete.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE)));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = admin()) {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new CliException("Topic " + topic + " does not exist (see 'gregor topic list')");
            }
            throw e;
        }
        List<String> changes = new ArrayList<>();
        set.forEach((k, v) -> changes.add(k + "=" + v));
        delete.forEach(k -> changes.add(k + " removed"));
        out().println("Updated topic " + topic + ": " + String.join(", ", changes));
        return ExitCode.OK;
    }
}
