package io.gregor.metadata.quorum;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a controller needs to join the metadata quorum, taken from Kafka's keys by the broker's
 * configuration: {@code node.id}, {@code controller.quorum.voters}, the first of {@code log.dirs}
 * and the cluster id of {@code meta.properties}.
 *
 * @param nodeId this node's {@code node.id}; one of the voters, unless this node is an observer
 * @param clusterId the cluster id; the Raft group is derived from it, so nodes of different
 *     clusters never form one quorum
 * @param voters the voters, in the order configured; ids are unique
 * @param firstLogDir the first log directory; the Raft storage lives under
 *     {@code __cluster_metadata-0/raft} in it
 * @param snapshotEveryEntries a snapshot of the metadata is taken after this many Raft log entries,
 *     so that the log (and a restart's replay) stays bounded
 * @param observer for a node that follows the log without voting: its id and the address where it
 *     receives the log; empty for a voter
 * @param tls how the quorum's members speak TLS to each other; empty: plain text
 */
public record RaftQuorumSettings(int nodeId, String clusterId, List<QuorumVoter> voters, Path firstLogDir,
                                 long snapshotEveryEntries, Optional<QuorumVoter> observer, Optional<QuorumTls> tls) {
    public static final String NODE_ID_KEY = "node.id";
    public static final String VOTERS_KEY = "controller.quorum.voters";
    public static final long DEFAULT_SNAPSHOT_EVERY_ENTRIES = 10_000;
    public static final String RAFT_DIRECTORY_NAME = "raft";

    public RaftQuorumSettings {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(firstLogDir, "firstLogDir");
        voters = List.copyOf(voters);
        if (clusterId.isBlank()) {
            throw new IllegalArgumentException("The cluster id must not be blank");
        }
        if (voters.isEmpty()) {
            throw new IllegalArgumentException(VOTERS_KEY + " must list at least one voter");
        }
        Set<Integer> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (QuorumVoter voter : voters) {
            if (!ids.add(voter.id())) {
                throw new IllegalArgumentException(VOTERS_KEY + "=" + render(voters) + " lists node id "
                        + voter.id() + " more than once");
            }
            if (!addresses.add(voter.address())) {
                throw new IllegalArgumentException(VOTERS_KEY + "=" + render(voters) + " lists the address "
                        + voter.address() + " for more than one voter");
            }
        }
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(tls, "tls");
        if (observer.isEmpty() && !ids.contains(nodeId)) {
            throw new IllegalArgumentException(NODE_ID_KEY + "=" + nodeId + " is not among the voters of "
                    + VOTERS_KEY + "=" + render(voters) + "; a controller must be one of them");
        }
        if (observer.isPresent()) {
            if (ids.contains(nodeId) || observer.get().id() != nodeId) {
                throw new IllegalArgumentException(NODE_ID_KEY + "=" + nodeId + " is among the voters of "
                        + VOTERS_KEY + "=" + render(voters) + "; a node that only follows the log must not be");
            }
            if (addresses.contains(observer.get().address())) {
                throw new IllegalArgumentException("The address " + observer.get().address()
                        + " is a voter's in " + VOTERS_KEY + "=" + render(voters));
            }
        }
        if (snapshotEveryEntries < 1) {
            throw new IllegalArgumentException("snapshotEveryEntries must be at least 1, was " + snapshotEveryEntries);
        }
    }

    /** Plain-text settings. */
    public RaftQuorumSettings(int nodeId, String clusterId, List<QuorumVoter> voters, Path firstLogDir,
                              long snapshotEveryEntries, Optional<QuorumVoter> observer) {
        this(nodeId, clusterId, voters, firstLogDir, snapshotEveryEntries, observer, Optional.empty());
    }

    /** A voter's settings. */
    public RaftQuorumSettings(int nodeId, String clusterId, List<QuorumVoter> voters, Path firstLogDir,
                              long snapshotEveryEntries) {
        this(nodeId, clusterId, voters, firstLogDir, snapshotEveryEntries, Optional.empty());
    }

    /**
     * The settings of a node that follows the log without voting (a broker-only node): it
     * receives the committed log at {@code address}, as a Ratis listener.
     */
    public static RaftQuorumSettings observer(int nodeId, String clusterId, List<QuorumVoter> voters, Path firstLogDir,
                                              String host, int port) {
        return new RaftQuorumSettings(nodeId, clusterId, voters, firstLogDir, DEFAULT_SNAPSHOT_EVERY_ENTRIES,
                Optional.of(new QuorumVoter(nodeId, host, port)));
    }

    /** This node's Raft address: its voter entry, or where it follows the log as an observer. */
    public QuorumVoter self() {
        return observer.orElseGet(() -> voters.stream().filter(v -> v.id() == nodeId).findFirst().orElseThrow());
    }

    /** Settings with the default snapshot interval, the voters parsed from {@code controller.quorum.voters}. */
    public static RaftQuorumSettings of(int nodeId, String clusterId, String voters, Path firstLogDir) {
        return new RaftQuorumSettings(nodeId, clusterId, parseVoters(voters), firstLogDir,
                DEFAULT_SNAPSHOT_EVERY_ENTRIES);
    }

    public RaftQuorumSettings withSnapshotEveryEntries(long entries) {
        return new RaftQuorumSettings(nodeId, clusterId, voters, firstLogDir, entries, observer, tls);
    }

    /** These settings, the quorum's members speaking TLS to each other as {@code quorumTls} says. */
    public RaftQuorumSettings withTls(QuorumTls quorumTls) {
        return new RaftQuorumSettings(nodeId, clusterId, voters, firstLogDir, snapshotEveryEntries, observer,
                Optional.of(quorumTls));
    }

    /**
     * Parses {@code controller.quorum.voters}: {@code id@host:port} separated by commas; an IPv6
     * host is written in brackets ({@code 1@[::1]:9093}).
     *
     * @throws IllegalArgumentException naming the key and the value when an entry does not parse
     */
    public static List<QuorumVoter> parseVoters(String value) {
        Objects.requireNonNull(value, VOTERS_KEY);
        List<QuorumVoter> voters = new ArrayList<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            voters.add(parseVoter(trimmed).orElseThrow(() -> new IllegalArgumentException(VOTERS_KEY + "=" + value
                    + ": '" + trimmed + "' is not of the form id@host:port")));
        }
        if (voters.isEmpty()) {
            throw new IllegalArgumentException(VOTERS_KEY + "='" + value + "' lists no voter");
        }
        return voters;
    }

    /** {@code <first log dir>/__cluster_metadata-0/raft}: Ratis' log and our snapshots. */
    public Path raftDirectory() {
        return firstLogDir.resolve(LocalMetadataLog.DIRECTORY_NAME).resolve(RAFT_DIRECTORY_NAME);
    }

    private static Optional<QuorumVoter> parseVoter(String entry) {
        int at = entry.indexOf('@');
        int colon = entry.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == entry.length() - 1) {
            return Optional.empty();
        }
        String host = entry.substring(at + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int id = Integer.parseInt(entry.substring(0, at));
            int port = Integer.parseInt(entry.substring(colon + 1));
            if (id < 0 || port < 1 || port > 65535 || host.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new QuorumVoter(id, host, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String render(List<QuorumVoter> voters) {
        return String.join(",", voters.stream().map(QuorumVoter::toString).toList());
    }
}
