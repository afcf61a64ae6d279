package io.gregor.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The configuration of each node of a test cluster (on loopback unless told otherwise): ids 1..n, the first
 * {@code voterCount} broker and controller (the voters), the rest broker-only; a PLAINTEXT
 * listener and a CONTROLLER listener (the Raft port) each on free ports; data in
 * {@code baseDir/node-<id>}. {@code overrides} apply to every node, after these settings.
 */
final class ClusterNodeConfigs {
    /** One node: its client port, its data directory and its settings (without log.dirs). */
    record Node(int id, int port, Path dataDir, Map<String, String> settings) {
    }

    private ClusterNodeConfigs() {
    }

    static List<Node> of(Path baseDir, int voterCount, int brokerOnly, Map<String, String> overrides) {
        return of(baseDir, voterCount, brokerOnly, overrides, id -> "127.0.0.1");
    }

    /** Like {@link #of(Path, int, int, Map)}, node {@code id} listening on {@code host.apply(id)}. */
    static List<Node> of(Path baseDir, int voterCount, int brokerOnly, Map<String, String> overrides,
                         IntFunction<String> host) {
        return of(baseDir, voterCount, brokerOnly, overrides, host, id -> Map.of());
    }

    /**
     * Like {@link #of(Path, int, int, Map, IntFunction)}, node {@code id} also given
     * {@code nodeOverrides.apply(id)} (its {@code broker.rack}, say), after the common overrides.
     */
    static List<Node> of(Path baseDir, int voterCount, int brokerOnly, Map<String, String> overrides,
                         IntFunction<String> host, IntFunction<Map<String, String>> nodeOverrides) {
        int nodes = voterCount + brokerOnly;
        List<Integer> ports = PortFinder.freeLoopbackPorts(2 * nodes);
        List<Integer> brokerPorts = ports.subList(0, nodes);
        List<Integer> controllerPorts = ports.subList(nodes, 2 * nodes);
        List<String> voters = new ArrayList<>();
        for (int id = 1; id <= nodes; id++) {
            if (id <= voterCount) {
                voters.add(id + "@" + host.apply(id) + ":" + controllerPorts.get(id - 1));
            }
        }
        List<Node> cluster = new ArrayList<>();
        for (int id = 1; id <= nodes; id++) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("node.id", Integer.toString(id));
            settings.put("process.roles", id <= voterCount ? "broker,controller" : "broker");
            settings.put("controller.quorum.voters", String.join(",", voters));
            settings.put("listeners", "PLAINTEXT://" + host.apply(id) + ":" + brokerPorts.get(id - 1)
                    + ",CONTROLLER://" + host.apply(id) + ":" + controllerPorts.get(id - 1));
            settings.put("controller.listener.names", "CONTROLLER");
            settings.putAll(overrides);
            settings.putAll(nodeOverrides.apply(id));
            cluster.add(new Node(id, brokerPorts.get(id - 1), baseDir.resolve("node-" + id), settings));
        }
        return cluster;
    }
}
