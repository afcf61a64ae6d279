package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gregor topic list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List topics with their partition counts and replication factors.")
final class TopicListCommand extends ClientCommand {
    @Option(names = "--internal", description = "Include internal topics such as __consumer_offsets.")
    boolean internal;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        try (Admin admin = admin()) {
            TreeSet<String> names = new TreeSet<>(
                    admin.listTopics(new ListTopicsOptions().listInternal(internal)).names().get());
            Map<String, TopicDescription> descriptions = names.isEmpty()
                    ? Map.of()
                    : admin.describeTopics(names).allTopicNames().get();
            if (output == OutputFormat.JSON) {
                List<Map<String, Object>> topics = new ArrayList<>();
                for (String name : names) {
                    TopicDescription d = descriptions.get(name);
                    Map<String, Object> topic = new LinkedHashMap<>();
                    topic.put("name", name);
                    topic.put("partitions", d.partitions().size());
                    topic.put("replicationFactor", replicationFactor(d));
                    topic.put("internal", d.isInternal());
                    topics.add(topic);
                }
                out().println(Json.write(topics));
            } else if (names.isEmpty()) {
                out().println("No topics; create one with 'gregor topic create NAME'");
            } else {
                Table table = new Table("TOPIC", "PARTITIONS", "REPLICATION-FACTOR");
                for (String name : names) {
                    TopicDescription d = descriptions.get(name);
                    table.row(name, d.partitions().size(), replicationFactor(d));
                }
                table.print(out());
            }
        }
        return ExitCode.OK;
    }

    static int replicationFactor(TopicDescription description) {
        return description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size();
    }
}
