package io.gregor.server.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gregor cluster describe}: cluster id, active controller, brokers, the metadata quorum's
 * voters, under-replicated partitions, features, API versions offered.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show the cluster id, active controller, brokers, quorum voters, under-replicated partitions, "
                + "feature levels and the API versions offered.")
final class ClusterDescribeCommand extends ClientCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        try (Admin admin = admin()) {
            DescribeClusterResult cluster = admin.describeCluster();
            String clusterId = cluster.clusterId().get();
            Optional<Node> controller = Optional.ofNullable(cluster.controller().get()).filter(n -> !n.isEmpty());
            List<Node> brokers = new ArrayList<>(cluster.nodes().get());
            brokers.sort(Comparator.comparingInt(Node::id));
            Map<String, String> features = features(admin);
            Optional<QuorumInfo> quorum = quorum(admin);
            List<UnderReplicated> underReplicated = underReplicated(admin);
            Node probed = brokers.isEmpty() ? null : brokers.get(0);
            List<ApiVersionsProbe.ApiRange> apis = apiVersions(probed);

            if (output == OutputFormat.JSON) {
                printJson(clusterId, controller, brokers, quorum, underReplicated, features, apis);
            } else {
                printText(clusterId, controller, brokers, quorum, underReplicated, features, apis, probed);
            }
        }
        return ExitCode.OK;
    }

    private Map<String, String> features(Admin admin) {
        Map<String, String> levels = new LinkedHashMap<>();
        try {
            FeatureMetadata metadata = admin.describeFeatures().featureMetadata().get();
            metadata.finalizedFeatures().forEach((name, range) -> levels.put(name, String.valueOf(range.maxVersionLevel())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // older or minimal brokers do not describe features; the section is left out
        }
        return levels;
    }

    /** The metadata quorum (a single node is a quorum of one), or empty when the node does not describe it. */
    private static Optional<QuorumInfo> quorum(Admin admin) {
        try {
            return Optional.of(admin.describeMetadataQuorum().quorumInfo().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A partition with fewer in-sync replicas than replicas, or without a leader. */
    record UnderReplicated(String topic, int partition, Optional<Integer> leader, List<Integer> replicas,
                           List<Integer> isr) {
    }

    private static List<UnderReplicated> underReplicated(Admin admin) throws ExecutionException, InterruptedException {
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        List<UnderReplicated> found = new ArrayList<>();
        if (names.isEmpty()) {
            return found;
        }
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
        for (TopicDescription topic : new TreeMap<>(topics).values()) {
            for (TopicPartitionInfo p : topic.partitions()) {
                if (p.isr().size() < p.replicas().size() || p.leader() == null || p.leader().isEmpty()) {
                    found.add(new UnderReplicated(topic.name(), p.partition(),
                            Optional.ofNullable(p.leader()).filter(n -> !n.isEmpty()).map(Node::id),
                            p.replicas().stream().map(Node::id).toList(), p.isr().stream().map(Node::id).toList()));
                }
            }
        }
        return found;
    }

    private List<ApiVersionsProbe.ApiRange> apiVersions(Node broker) {
        if (broker == null) {
            return List.of();
        }
        try {
            return ApiVersionsProbe.probe(broker.host(), broker.port(), (int) Math.min(client.timeout.toMillis(), 10_000));
        } catch (IOException e) {
            err().println("Could not ask broker " + broker.id() + " for its API versions: " + e.getMessage());
            return List.of();
        }
    }

    private void printText(String clusterId, Optional<Node> controller, Collection<Node> brokers,
                           Optional<QuorumInfo> quorum, List<UnderReplicated> underReplicated,
                           Map<String, String> features, List<ApiVersionsProbe.ApiRange> apis, Node probed) {
        out().println("Cluster id: " + clusterId);
        out().println("Controller: " + controller.map(n -> n.id() + " (" + n.host() + ":" + n.port() + ")").orElse("none"));
        out().println();
        Table table = new Table("BROKER", "ADDRESS", "RACK");
        brokers.forEach(n -> table.row(n.id(), n.host() + ":" + n.port(), n.hasRack() ? n.rack() : "-"));
        table.print(out());
        quorum.ifPresent(q -> {
            out().println();
            out().println("Metadata quorum: leader " + (q.leaderId() < 0 ? "none" : q.leaderId()) + ", epoch "
                    + q.leaderEpoch() + ", high watermark " + q.highWatermark());
            Table voters = new Table("VOTER", "ADDRESS", "ROLE");
            for (QuorumInfo.ReplicaState voter : q.voters()) {
                String address = Optional.ofNullable(q.nodes().get(voter.replicaId()))
                        .flatMap(node -> node.endpoints().stream().findFirst())
                        .map(e -> e.host() + ":" + e.port()).orElse("-");
                voters.row(voter.replicaId(), address, voter.replicaId() == q.leaderId() ? "leader" : "follower");
            }
            q.observers().forEach(observer -> voters.row(observer.replicaId(), "-", "observer"));
            voters.print(out());
        });
        out().println();
        if (underReplicated.isEmpty()) {
            out().println("Under-replicated partitions: none");
        } else {
            out().println("Under-replicated partitions: " + underReplicated.size());
            Table partitions = new Table("TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR");
            underReplicated.forEach(p -> partitions.row(p.topic(), p.partition(),
                    p.leader().map(String::valueOf).orElse("none"), join(p.replicas()), join(p.isr())));
            partitions.print(out());
        }
        if (!features.isEmpty()) {
            out().println();
            Table featureTable = new Table("FEATURE", "LEVEL");
            features.forEach(featureTable::row);
            featureTable.print(out());
        }
        if (!apis.isEmpty()) {
            out().println();
            out().println("API versions offered by broker " + probed.id() + ":");
            Table apiTable = new Table("KEY", "API", "VERSIONS");
            apis.forEach(a -> apiTable.row(a.key(), a.name(), a.minVersion() + "-" + a.maxVersion()));
            apiTable.print(out());
        }
        out().flush();
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private void printJson(String clusterId, Optional<Node> controller, List<Node> brokers,
                           Optional<QuorumInfo> quorum, List<UnderReplicated> underReplicated,
                           Map<String, String> features, List<ApiVersionsProbe.ApiRange> apis) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("clusterId", clusterId);
        json.put("controller", controller.map(Node::id));
        List<Map<String, Object>> brokerList = new ArrayList<>();
        for (Node n : brokers) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("id", n.id());
            b.put("host", n.host());
            b.put("port", n.port());
            b.put("rack", n.hasRack() ? n.rack() : null);
            brokerList.add(b);
        }
        json.put("brokers", brokerList);
        quorum.ifPresent(q -> {
            Map<String, Object> quorumJson = new LinkedHashMap<>();
            quorumJson.put("leaderId", q.leaderId());
            quorumJson.put("leaderEpoch", q.leaderEpoch());
            quorumJson.put("highWatermark", q.highWatermark());
            quorumJson.put("voters", q.voters().stream().map(QuorumInfo.ReplicaState::replicaId).toList());
            quorumJson.put("observers", q.observers().stream().map(QuorumInfo.ReplicaState::replicaId).toList());
            json.put("quorum", quorumJson);
        });
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (UnderReplicated p : underReplicated) {
            Map<String, Object> partition = new LinkedHashMap<>();
            partition.put("topic", p.topic());
            partition.put("partition", p.partition());
            partition.put("leader", p.leader());
            partition.put("replicas", p.replicas());
            partition.put("isr", p.isr());
            partitions.add(partition);
        }
        json.put("underReplicatedPartitions", partitions);
        json.put("features", features);
        List<Map<String, Object>> apiList = new ArrayList<>();
        for (ApiVersionsProbe.ApiRange a : apis) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("key", a.key());
            api.put("name", a.name());
            api.put("minVersion", a.minVersion());
            api.put("maxVersion", a.maxVersion());
            apiList.add(api);
        }
        json.put("apiVersions", apiList);
        out().println(Json.write(json));
        out().flush();
    }
}
