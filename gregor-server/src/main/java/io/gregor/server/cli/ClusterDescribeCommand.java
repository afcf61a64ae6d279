package io.gregor.server.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gregor cluster describe}: cluster id, controller, brokers, features, API versions offered. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show the cluster id, controller, brokers, feature levels and the API versions offered.")
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
            Node probed = brokers.isEmpty() ? null : brokers.get(0);
            List<ApiVersionsProbe.ApiRange> apis = apiVersions(probed);

            if (output == OutputFormat.JSON) {
                printJson(clusterId, controller, brokers, features, apis);
            } else {
                printText(clusterId, controller, brokers, features, apis, probed);
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
                           Map<String, String> features, List<ApiVersionsProbe.ApiRange> apis, Node probed) {
        out().println("Cluster id: " + clusterId);
        out().println("Controller: " + controller.map(n -> n.id() + " (" + n.host() + ":" + n.port() + ")").orElse("none"));
        out().println();
        Table table = new Table("BROKER", "ADDRESS", "RACK");
        brokers.forEach(n -> table.row(n.id(), n.host() + ":" + n.port(), n.hasRack() ? n.rack() : "-"));
        table.print(out());
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

    private void printJson(String clusterId, Optional<Node> controller, List<Node> brokers,
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
