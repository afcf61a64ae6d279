package io.gregor.testkit;

import com.codahale.metrics.MetricRegistry;
import io.gregor.broker.Broker;
import io.gregor.broker.config.BrokerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * A Gregor cluster in the test's own JVM: {@code n} nodes, each broker and controller, on loopback
 * ports with their data in directories the test owns, configured as separate
 * {@code gregor server} processes would be. Nodes can be stopped (cleanly: controlled shutdown)
 * and started again on the same ports and data. For crash tests use {@link GregorProcess#cluster}.
 */
public final class GregorCluster implements AutoCloseable {
    private final Map<Integer, ClusterNodeConfigs.Node> nodes = new LinkedHashMap<>();
    private final Map<Integer, Broker> running = new HashMap<>();
    /** Each node's meters, kept across its restarts as a process's JMX view is not. */
    private final Map<Integer, MetricRegistry> metrics = new HashMap<>();

    private GregorCluster(List<ClusterNodeConfigs.Node> nodes) {
        nodes.forEach(node -> this.nodes.put(node.id(), node));
    }

    /** Starts {@code nodes} nodes; {@code overrides} (Kafka key names) apply to every one. */
    public static GregorCluster start(Path baseDir, int nodes, Map<String, String> overrides) {
        return start(baseDir, nodes, overrides, (id, settings) -> Map.of());
    }

    /**
     * Like {@link #start(Path, int, Map)}, node {@code id} also given {@code nodeOverrides.apply(id,
     * settings)}, which sees the node's settings (its listeners, say, to add one).
     */
    public static GregorCluster start(Path baseDir, int nodes, Map<String, String> overrides,
                                      BiFunction<Integer, Map<String, String>, Map<String, String>> nodeOverrides) {
        List<ClusterNodeConfigs.Node> configs = ClusterNodeConfigs.of(baseDir, nodes, 0, overrides).stream()
                .map(node -> {
                    Map<String, String> settings = new LinkedHashMap<>(node.settings());
                    settings.putAll(nodeOverrides.apply(node.id(), node.settings()));
                    return new ClusterNodeConfigs.Node(node.id(), node.port(), node.dataDir(), settings);
                })
                .toList();
        GregorCluster cluster = new GregorCluster(configs);
        try {
            cluster.nodes.keySet().forEach(cluster::startNode);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Every node's address, for bootstrap.servers. */
    public String bootstrapServers() {
        return nodes.values().stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    public String bootstrapServers(int nodeId) {
        return "127.0.0.1:" + node(nodeId).port();
    }

    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** Stops a node cleanly: its leaderships move to other in-sync replicas first. */
    public synchronized void stopNode(int nodeId) {
        Broker broker = running.remove(nodeId);
        if (broker != null) {
            broker.shutdown();
        }
    }

    /** Starts a node, again after {@link #stopNode}: same ports, same data. */
    public synchronized void startNode(int nodeId) {
        if (running.containsKey(nodeId)) {
            return;
        }
        ClusterNodeConfigs.Node node = node(nodeId);
        Map<String, String> config = new HashMap<>(node.settings());
        config.putIfAbsent("log.dirs", node.dataDir().toString());
        MetricRegistry registry = new MetricRegistry();
        Broker broker = new Broker(BrokerConfig.parse(config), registry);
        broker.startup();
        running.put(nodeId, broker);
        metrics.put(nodeId, registry);
    }

    /** The meters of the node's latest start, as its JMX MBeans would show them (Kafka's names). */
    public synchronized MetricRegistry metrics(int nodeId) {
        MetricRegistry registry = metrics.get(nodeId);
        if (registry == null) {
            throw new IllegalArgumentException("Node " + nodeId + " was never started");
        }
        return registry;
    }

    private ClusterNodeConfigs.Node node(int nodeId) {
        ClusterNodeConfigs.Node node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("No node " + nodeId + " in this cluster of " + nodes.keySet());
        }
        return node;
    }

    @Override
    public synchronized void close() {
        // One after another, as an operator would: each hands its leaderships to the nodes still
        // up, and the last one, with nobody left to take them, just stops.
        List.copyOf(running.keySet()).forEach(this::stopNode);
    }
}
