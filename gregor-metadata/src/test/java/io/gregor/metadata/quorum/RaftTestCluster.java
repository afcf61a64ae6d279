package io.gregor.metadata.quorum;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Settings for an in-process quorum of Ratis servers on loopback ports, one temporary directory
 * per node. Ports are picked free just before use, since every voter must know the others'.
 */
public final class RaftTestCluster {
    public static final String CLUSTER_ID = "AAAAAAAAAAAAAAAAAAAAAQ";
    public static final Duration ELECTION = Duration.ofSeconds(15);

    private final Map<Integer, RaftQuorumSettings> settings = new LinkedHashMap<>();

    public RaftTestCluster(Path root, int nodes, long snapshotEveryEntries) {
        List<QuorumVoter> voters = new ArrayList<>();
        List<Integer> ports = freePorts(nodes);
        for (int id = 1; id <= nodes; id++) {
            voters.add(new QuorumVoter(id, "127.0.0.1", ports.get(id - 1)));
        }
        for (QuorumVoter voter : voters) {
            settings.put(voter.id(), new RaftQuorumSettings(voter.id(), CLUSTER_ID, voters,
                    root.resolve("node-" + voter.id()), snapshotEveryEntries));
        }
    }

    public RaftQuorumSettings settings(int nodeId) {
        return settings.get(nodeId);
    }

    public List<Integer> nodeIds() {
        return List.copyOf(settings.keySet());
    }

    public String votersValue() {
        return settings.values().iterator().next().voters().stream().map(QuorumVoter::toString)
                .collect(Collectors.joining(","));
    }

    /** Waits until exactly one of the logs is the ready leader, and returns it. */
    public static RaftMetadataLog awaitLeader(List<RaftMetadataLog> logs) {
        return await().atMost(ELECTION).until(() -> {
            List<RaftMetadataLog> leaders = logs.stream().filter(RaftMetadataLog::isLeader).toList();
            return leaders.size() == 1 ? leaders.get(0) : null;
        }, leader -> leader != null);
    }

    /** Closes all at once: a Ratis server takes most of a second to close. */
    public static void closeAll(Collection<? extends AutoCloseable> closeables) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (AutoCloseable closeable : closeables) {
            closing.add(CompletableFuture.runAsync(() -> {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not close " + closeable, e);
                }
            }));
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
    }

    /** Distinct free ports, held open together while chosen (one at a time, the same port can come back twice). */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing was accepted on it
                }
            }
        }
    }
}
