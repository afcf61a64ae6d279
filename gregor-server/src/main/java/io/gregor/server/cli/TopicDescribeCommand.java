package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gregor topic describe TOPIC...}: partitions with leader, replicas, ISR, log start and end
 * offsets and size on disk, and the topic's non-default configs.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a topic's partitions (leader, replicas, ISR, offsets, size) and its non-default configs.")
final class TopicDescribeCommand extends ClientCommand {
    @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "Topic(s) to describe.")
    List<String> topics;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    /** One partition's row. Size is empty when the broker does not report log dirs. */
    record PartitionView(int partition, Optional<Integer> leader, List<Integer> replicas, List<Integer> isr,
                         long logStartOffset, long logEndOffset, Optional<Long> sizeBytes) {
    }

    @Override
    public Integer call() throws Exception {
        try (Admin admin = admin()) {
            Map<String, TopicDescription> descriptions = describeTopics(admin);
            List<TopicPartition> partitions = descriptions.values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .toList();
            Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> sizes = sizes(admin, descriptions.values());
            Map<String, Map<String, String>> configs = nonDefaultConfigs(admin);

            List<Map<String, Object>> json = new ArrayList<>();
            boolean first = true;
            for (String topic : topics) {
                TopicDescription d = descriptions.get(topic);
                List<PartitionView> views = new ArrayList<>();
                for (TopicPartitionInfo p : d.partitions()) {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    views.add(new PartitionView(p.partition(),
                            Optional.ofNullable(p.leader()).filter(n -> !n.isEmpty()).map(Node::id),
                            ids(p.replicas()), ids(p.isr()),
                            starts.get(tp).offset(), ends.get(tp).offset(), Optional.ofNullable(sizes.get(tp))));
                }
                if (output == OutputFormat.JSON) {
                    json.add(toJson(d, views, configs.get(topic)));
                } else {
                    if (!first) {
                        out().println();
                    }
                    printText(d, views, configs.get(topic));
                }
                first = false;
            }
            if (output == OutputFormat.JSON) {
                out().println(Json.write(json));
            }
            out().flush();
        }
        return ExitCode.OK;
    }

    private Map<String, TopicDescription> describeTopics(Admin admin) throws Exception {
        try {
            return admin.describeTopics(topics).allTopicNames().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                for (String topic : topics) {
                    try {
                        admin.describeTopics(List.of(topic)).allTopicNames().get();
                    } catch (ExecutionException missing) {
                        throw new CliException("Topic " + topic + " does not exist (see 'gregor topic list')");
                    }
                }
            }
            throw e;
        }
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin admin, List<TopicPartition> partitions,
                                                                      OffsetSpec spec) throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec))).all().get();
    }

    /** Size on disk of each partition's leader replica; empty when the brokers cannot tell. */
    private static Map<TopicPartition, Long> sizes(Admin admin, Collection<TopicDescription> descriptions) {
        Map<Integer, List<TopicPartition>> leaders = new HashMap<>();
        for (TopicDescription d : descriptions) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() != null && !p.leader().isEmpty()) {
                    leaders.computeIfAbsent(p.leader().id(), id -> new ArrayList<>())
                            .add(new TopicPartition(d.name(), p.partition()));
                }
            }
        }
        Map<TopicPartition, Long> sizes = new HashMap<>();
        try {
            Map<Integer, Map<String, LogDirDescription>> dirs =
                    admin.describeLogDirs(leaders.keySet()).allDescriptions().get();
            leaders.forEach((broker, partitions) -> {
                for (LogDirDescription dir : dirs.getOrDefault(broker, Map.of()).values()) {
                    for (TopicPartition tp : partitions) {
                        ReplicaInfo replica = dir.replicaInfos().get(tp);
                        if (replica != null) {
                            sizes.merge(tp, replica.size(), Long::sum);
                        }
                    }
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // DescribeLogDirs unsupported or refused: sizes are shown as unknown
        }
        return sizes;
    }

    /** Configs set on the topic itself, not inherited from broker or built-in defaults. */
    private Map<String, Map<String, String>> nonDefaultConfigs(Admin admin) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<String, Map<String, String>> configs = new HashMap<>();
        try {
            Map<ConfigResource, Config> described = admin.describeConfigs(resources).all().get();
            described.forEach((resource, config) -> {
                Map<String, String> set = new java.util.TreeMap<>();
                for (ConfigEntry entry : config.entries()) {
                    if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                        set.put(entry.name(), entry.isSensitive() ? "(sensitive)" : entry.value());
                    }
                }
                configs.put(resource.name(), set);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // DescribeConfigs unsupported or refused: configs are shown as unknown
        }
        return configs;
    }

    private void printText(TopicDescription d, List<PartitionView> views, Map<String, String> configs) {
        out().println("Topic: " + d.name() + "   id: " + d.topicId() + "   partitions: " + views.size()
                + "   replication factor: " + TopicListCommand.replicationFactor(d)
                + (d.isInternal() ? "   (internal)" : ""));
        String configText = configs == null ? "(unknown)"
                : configs.isEmpty() ? "(all defaults)"
                : configs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "));
        out().println("Configs: " + configText);
        Table table = new Table("PARTITION", "LEADER", "REPLICAS", "ISR", "LOG-START", "LOG-END", "SIZE");
        for (PartitionView p : views) {
            table.row(p.partition(), p.leader().map(String::valueOf).orElse("none"), join(p.replicas()), join(p.isr()),
                    p.logStartOffset(), p.logEndOffset(), p.sizeBytes().map(Sizes::bytes).orElse("-"));
        }
        table.print(out());
    }

    private static Map<String, Object> toJson(TopicDescription d, List<PartitionView> views,
                                              Map<String, String> configs) {
        Map<String, Object> topic = new LinkedHashMap<>();
        topic.put("name", d.name());
        topic.put("topicId", d.topicId().toString());
        topic.put("internal", d.isInternal());
        topic.put("replicationFactor", TopicListCommand.replicationFactor(d));
        topic.put("configs", configs);
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (PartitionView p : views) {
            Map<String, Object> partition = new LinkedHashMap<>();
            partition.put("partition", p.partition());
            partition.put("leader", p.leader());
            partition.put("replicas", p.replicas());
            partition.put("isr", p.isr());
            partition.put("logStartOffset", p.logStartOffset());
            partition.put("logEndOffset", p.logEndOffset());
            partition.put("sizeBytes", p.sizeBytes());
            partitions.add(partition);
        }
        topic.put("partitions", partitions);
        return topic;
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
