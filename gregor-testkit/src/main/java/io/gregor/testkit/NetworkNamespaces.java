package io.gregor.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One Linux network namespace per node, joined by a bridge in the test's own namespace, so that
 * a test can cut the network between two nodes while its clients still reach both. Node {@code id}
 * has address {@code 10.213.<subnet>.<id>}; the test process reaches it through the bridge.
 * A partition between two nodes is a pair of blackhole routes, one in each node's namespace:
 * packets of established connections vanish silently, new connections fail.
 * Needs root (CAP_NET_ADMIN) and iproute2; {@link #unavailableBecause()} says why it cannot run.
 */
public final class NetworkNamespaces implements AutoCloseable {
    private final String tag;
    private final int subnet;
    private final int nodes;
    private final List<int[]> partitions = new ArrayList<>();

    private NetworkNamespaces(String tag, int subnet, int nodes) {
        this.tag = tag;
        this.subnet = subnet;
        this.nodes = nodes;
    }

    /** Empty when namespaces can be created here, else the reason they cannot. */
    public static Optional<String> unavailableBecause() {
        String probe = "gregor-probe-" + ProcessHandle.current().pid();
        try {
            ip("netns", "add", probe);
            ip("netns", "del", probe);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("cannot create a network namespace (needs root and iproute2): " + e.getMessage());
        }
    }

    /** Creates the bridge and one namespace per node, ids 1..nodes. */
    public static NetworkNamespaces create(int nodes) {
        String tag = Long.toString(ProcessHandle.current().pid() % 100_000, 36) + ThreadLocalRandom.current().nextInt(36 * 36);
        String routes = ip("-4", "route", "show", "table", "all");
        // A subnet that no other test's bridge (nor anything else on the machine) already uses.
        int subnet = ThreadLocalRandom.current().nextInt(1, 255);
        while (routes.contains("10.213." + subnet + ".")) {
            subnet = ThreadLocalRandom.current().nextInt(1, 255);
        }
        NetworkNamespaces network = new NetworkNamespaces(tag, subnet, nodes);
        try {
            network.setUp();
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    private void setUp() {
        ip("link", "add", bridge(), "type", "bridge");
        ip("addr", "add", prefix() + "254/24", "dev", bridge());
        ip("link", "set", bridge(), "up");
        for (int id = 1; id <= nodes; id++) {
            ip("netns", "add", namespace(id));
            ip("link", "add", hostSide(id), "type", "veth", "peer", "name", "eth" + id, "netns", namespace(id));
            ip("link", "set", hostSide(id), "master", bridge());
            ip("link", "set", hostSide(id), "up");
            ip("-n", namespace(id), "addr", "add", host(id) + "/24", "dev", "eth" + id);
            ip("-n", namespace(id), "link", "set", "eth" + id, "up");
            ip("-n", namespace(id), "link", "set", "lo", "up");
        }
    }

    /** The network of node {@code id}: its address, and its JVM launched inside its namespace. */
    public NodeNetwork node(int id) {
        return new NodeNetwork(host(id), List.of("ip", "netns", "exec", namespace(id)));
    }

    public String host(int id) {
        return prefix() + id;
    }

    /** Cuts the network between nodes {@code a} and {@code b}, both ways. */
    public void partition(int a, int b) {
        ip("-n", namespace(a), "route", "add", "blackhole", host(b) + "/32");
        ip("-n", namespace(b), "route", "add", "blackhole", host(a) + "/32");
        partitions.add(new int[] {a, b});
    }

    /** Removes every partition. */
    public void heal() {
        for (int[] cut : partitions) {
            ip("-n", namespace(cut[0]), "route", "del", "blackhole", host(cut[1]) + "/32");
            ip("-n", namespace(cut[1]), "route", "del", "blackhole", host(cut[0]) + "/32");
        }
        partitions.clear();
    }

    private String prefix() {
        return "10.213." + subnet + ".";
    }

    private String bridge() {
        return "gbr" + tag;
    }

    private String hostSide(int id) {
        return "gv" + tag + "n" + id;
    }

    private String namespace(int id) {
        return "gregor-" + tag + "-" + id;
    }

    /** Deletes the namespaces (and with them the veth pairs) and the bridge; best effort. */
    @Override
    public void close() {
        for (int id = 1; id <= nodes; id++) {
            quietly("netns", "del", namespace(id));
        }
        quietly("link", "del", bridge());
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (RuntimeException ignored) {
            // cleanup of something that may not exist
        }
    }

    /** Runs {@code ip args} and returns what it printed; fails if it fails. */
    private static String ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
