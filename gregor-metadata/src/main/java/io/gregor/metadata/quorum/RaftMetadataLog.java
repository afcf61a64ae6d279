package io.gregor.metadata.quorum;

import io.gregor.metadata.record.MetadataRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log of a cluster: a Raft quorum of the controllers in
 * {@code controller.quorum.voters}, on Apache Ratis over gRPC. The Raft leader is the active
 * controller; only it appends. Every committed batch reaches the listener of every node, in log
 * order, with the same base offsets ({@link MetadataStateMachine}).
 *
 * <p>On-disk layout, under {@code <first log dir>/__cluster_metadata-0/raft/} (beside, never
 * inside, {@link LocalMetadataLog}'s file, and a node refuses to start with both):
 * {@code <group id>/current/} Ratis' log segments and term/vote, {@code <group id>/sm/} our
 * snapshots. The group id is derived from the cluster id, so a directory, or a peer, of another
 * cluster is never taken for ours: a node finding another group's directory refuses to start, and
 * Ratis refuses requests for a group it does not serve.
 *
 * <p>Besides the log, the leader answers requests outside it, sent as read-only Ratis requests
 * (which Ratis hands to the state machine's query, on the leader only): controller requests for
 * the broker layer ({@link #sendToController}), and broker-only nodes asking to be added as
 * listeners. At start a node also compares its voters with those of every voter it reaches, and
 * refuses to start when they differ ({@link #checkVoters}).
 *
 * <p>Threading: {@link #start} and {@link #close} from one thread; {@link #append} and the
 * leadership queries from any thread. The listener is called on Ratis' state machine updater
 * thread, one batch at a time in log order: before {@link #start} returns for the batches already
 * committed locally, and afterwards for new commits. On the leader the listener has the batch
 * before the append future completes.
 */
public final class RaftMetadataLog implements MetadataLog {
    private static final Logger log = LoggerFactory.getLogger(RaftMetadataLog.class);
    private static final long REPLAY_TIMEOUT_SECONDS = 120;
    private static final long JOIN_RETRY_MS = 1_000;
    private static final long JOIN_CHECK_MS = 10_000;
    private static final long JOIN_TIMEOUT_MS = 10_000;
    private static final long VOTER_CHECK_MS = 2_000;
    private static final TimeDuration VOTER_CHECK_TIMEOUT = TimeDuration.valueOf(2, TimeUnit.SECONDS);
    /** The kinds of requests a node sends the leader outside the log ({@link #serveQuorumRequest}). */
    private static final byte CONTROLLER_REQUEST = 0;
    private static final byte JOIN_AS_LISTENER = 1;
    /** The leader's answers to a join. */
    private static final byte JOINED = 0;
    private static final byte REFUSED = 1;
    private static final TimeDuration ELECTION_TIMEOUT_MIN = TimeDuration.valueOf(1, TimeUnit.SECONDS);
    private static final TimeDuration ELECTION_TIMEOUT_MAX = TimeDuration.valueOf(2, TimeUnit.SECONDS);
    /** Ratis' own limit on a controller request; callers set shorter ones (a heartbeat's). */
    private static final TimeDuration CONTROLLER_REQUEST_TIMEOUT = TimeDuration.valueOf(30, TimeUnit.SECONDS);

    private final RaftQuorumSettings settings;
    private final RaftGroup group;
    private final RaftPeerId selfId;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final List<LeaderChangeListener> leaderListeners = new CopyOnWriteArrayList<>();
    private final Consumer<RaftProperties> tuning;
    private RaftServer server;
    /** Answers controller requests from other nodes once the broker layer has set it. */
    private volatile ControllerRequestHandler controllerRequests = request -> CompletableFuture.failedFuture(
            new IllegalStateException("this node does not serve controller requests yet"));
    /** The client of controller requests to other nodes, made on first use; guarded by {@code this}. */
    private RaftClient controllerClient;
    private volatile Optional<RaftServer.Division> division = Optional.empty();
    /** Set at start, with {@link #division}: it tells Raft indexes as metadata offsets. */
    private volatile MetadataStateMachine stateMachine;
    /** The timer of an observer's requests to join the quorum as a listener, and of the voter checks. */
    private final ScheduledExecutorService quorumTasks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "metadata-quorum-tasks");
        thread.setDaemon(true);
        return thread;
    });
    /** Changes of the listeners, on the leader, one at a time. */
    private final ExecutorService configurationChanges = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "metadata-quorum-configuration");
        thread.setDaemon(true);
        return thread;
    });
    /** Whether this observer has been added as a listener (for the log line). */
    private volatile boolean joined;
    /** Whether the last join failed in a TLS handshake, so that it is logged once until it works; on quorumTasks. */
    private boolean joinTlsFailing;
    /** The other voters found to list the same voters as this node; only on {@link #quorumTasks}. */
    private final Set<Integer> agreeingVoters = new HashSet<>();
    /** The voters this node's last check could not reach for a failed TLS handshake, each logged once. */
    private final Set<Integer> votersFailingTls = ConcurrentHashMap.newKeySet();
    private final List<Consumer<InconsistentQuorumException>> inconsistencyListeners = new CopyOnWriteArrayList<>();

    public RaftMetadataLog(RaftQuorumSettings settings) {
        this(settings, properties -> { });
    }

    /** @param tuning changes Ratis' properties after ours; tests shrink log segments with it */
    RaftMetadataLog(RaftQuorumSettings settings, Consumer<RaftProperties> tuning) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tuning = tuning;
        this.selfId = peerId(settings.nodeId());
        List<RaftPeer> peers = new ArrayList<>(settings.voters().stream().map(RaftMetadataLog::peer).toList());
        settings.observer().ifPresent(self -> peers.add(listenerPeer(self)));
        this.group = RaftGroup.valueOf(groupId(settings.clusterId()), peers);
    }

    /** The Raft group of a cluster: a name-based UUID of its cluster id. */
    public static RaftGroupId groupId(String clusterId) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                ("gregor-metadata/" + clusterId).getBytes(StandardCharsets.UTF_8)));
    }

    /** Registers a listener of leader changes; register before {@link #start} to hear the first election. */
    public void addLeaderChangeListener(LeaderChangeListener listener) {
        leaderListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void start(CommittedBatchListener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        Path raftDir = settings.raftDirectory();
        checkDirectory(raftDir);
        // Before this node's Raft server starts: a node that disagrees with a running voter stops
        // here, without having disturbed it.
        checkVoters();
        stateMachine = new MetadataStateMachine(settings.clusterId(), listener,
                this::leaderChanged, this::serveQuorumRequest);
        server = RaftServer.newBuilder()
                .setServerId(selfId)
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(properties(raftDir))
                .setParameters(parameters())
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        RaftServer.Division started = server.getDivision(group.getGroupId());
        division = Optional.of(started);
        long committed = started.getRaftLog().getLastCommittedIndex();
        try {
            if (!stateMachine.awaitApplied(committed, REPLAY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("The metadata log was not replayed up to its commit index " + committed
                        + " within " + REPLAY_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while replaying the metadata log", e);
        }
        log.info("Metadata quorum {} {} of {} started in {}, replayed up to Raft index {}",
                settings.observer().isPresent() ? "observer" : "member", selfId, settings.voters(), raftDir, committed);
        settings.observer().ifPresent(self -> joinAsListener(listenerPeer(self)));
        if (agreeingVoters.size() < otherVoters().size()) {
            quorumTasks.schedule(this::checkVotersLater, VOTER_CHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Registers what to do when this node finds, after it started, that another voter disagrees
     * with it ({@link #checkVoters}), or when the leader refuses it as a listener because a live
     * node with its id follows the log already; register before {@link #start}.
     */
    public void addInconsistencyListener(Consumer<InconsistentQuorumException> listener) {
        inconsistencyListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Asks each other voter this node has not heard from yet which Raft group it serves and with
     * which voters (Ratis' group management API, which answers whatever group the asker is in),
     * and fails when one lists other voters or serves another cluster's group: nodes whose
     * {@code controller.quorum.voters} differ would not form one quorum (and, with the cluster id
     * derived from the voters, not even agree on the cluster). A voter that does not answer (not
     * started yet) is asked again later ({@link #checkVotersLater}).
     *
     * @throws InconsistentQuorumException naming both voter lists
     */
    private void checkVoters() {
        String ours = render(settings.voters().stream().map(QuorumVoter::toString));
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, VOTER_CHECK_TIMEOUT);
        try (RaftClient client = RaftClient.newBuilder().setParameters(parameters()).setProperties(properties)
                .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), settings.voters().stream()
                        .map(RaftMetadataLog::peer).toList()))
                .setRetryPolicy(RetryPolicies.noRetry()).build()) {
            // All at once: a voter that does not answer costs its timeout once, not once per voter.
            Map<QuorumVoter, CompletableFuture<Optional<RaftGroup>>> asked = new LinkedHashMap<>();
            for (QuorumVoter voter : otherVoters()) {
                if (!agreeingVoters.contains(voter.id())) {
                    asked.put(voter, CompletableFuture.supplyAsync(() -> servedGroup(client, voter), runnable -> {
                        Thread thread = new Thread(runnable, "metadata-voter-check-" + voter.id());
                        thread.setDaemon(true);
                        thread.start();
                    }));
                }
            }
            for (Map.Entry<QuorumVoter, CompletableFuture<Optional<RaftGroup>>> answer : asked.entrySet()) {
                QuorumVoter voter = answer.getKey();
                Optional<RaftGroup> theirs = answer.getValue().join();
                if (theirs.isEmpty()) {
                    continue;
                }
                String their = render(theirs.get().getPeers().stream()
                        .filter(peer -> peer.getStartupRole() != RaftPeerRole.LISTENER)
                        .map(peer -> peer.getId() + "@" + peer.getAddress()));
                if (!their.equals(ours)) {
                    throw new InconsistentQuorumException(RaftQuorumSettings.VOTERS_KEY + " differs between the nodes:"
                            + " this node (node " + settings.nodeId() + ") has " + ours + ", but node " + voter.id()
                            + " at " + voter.address() + " has " + their
                            + "; every node of a cluster must list the same voters");
                }
                if (!theirs.get().getGroupId().equals(group.getGroupId())) {
                    throw new InconsistentQuorumException("Node " + voter.id() + " at " + voter.address()
                            + " belongs to another cluster (Raft group " + theirs.get().getGroupId().getUuid()
                            + "; this node's cluster " + settings.clusterId() + " is Raft group "
                            + group.getGroupId().getUuid() + "): cluster.id differs between the nodes");
                }
                agreeingVoters.add(voter.id());
            }
        } catch (IOException e) {
            log.debug("Closing the voter check client: {}", e.toString());
        }
    }

    /** The Raft group the voter serves (ours if it serves ours), or empty when it does not answer. */
    private Optional<RaftGroup> servedGroup(RaftClient client, QuorumVoter voter) {
        try {
            List<RaftGroupId> groups = client.getGroupManagementApi(peerId(voter.id())).list().getGroupIds();
            if (groups.isEmpty()) {
                return Optional.empty();
            }
            RaftGroupId served = groups.contains(group.getGroupId()) ? group.getGroupId() : groups.get(0);
            RaftGroup theirs = client.getGroupManagementApi(peerId(voter.id())).info(served).getGroup();
            if (votersFailingTls.remove(voter.id())) {
                log.info("Voter {} at {} answers over TLS again", voter.id(), voter.address());
            }
            return Optional.of(theirs);
        } catch (IOException | RuntimeException notAnswering) {
            // Not started yet, most often; a failed TLS handshake, though, will not go away by itself.
            tlsFailure(notAnswering).filter(reason -> votersFailingTls.add(voter.id())).ifPresent(reason ->
                    log.warn("Cannot reach voter {} at {} of the metadata quorum (retrying, logged once): the TLS "
                            + "handshake failed: {}; check the controller listener's ssl.truststore.* and "
                            + "ssl.keystore.* settings here and on node {}", voter.id(), voter.address(), reason,
                            voter.id()));
            return Optional.empty();
        }
    }

    /** Checks the voters not heard from at start, until each has answered; a disagreement stops this node. */
    private void checkVotersLater() {
        if (division.isEmpty()) {
            return;
        }
        try {
            checkVoters();
        } catch (InconsistentQuorumException e) {
            log.error("{}", e.getMessage());
            inconsistencyListeners.forEach(listener -> listener.accept(e));
            return;
        }
        if (agreeingVoters.size() < otherVoters().size()) {
            try {
                quorumTasks.schedule(this::checkVotersLater, VOTER_CHECK_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                // closed meanwhile
            }
        }
    }

    private List<QuorumVoter> otherVoters() {
        return settings.voters().stream().filter(voter -> voter.id() != settings.nodeId()).toList();
    }

    private static String render(Stream<String> voters) {
        return voters.sorted().collect(Collectors.joining(","));
    }

    /**
     * Asks the quorum's leader to add this node to the configuration as a Ratis listener: the
     * leader then sends it every committed entry (and snapshots) as to a follower, without counting
     * it in majorities or elections. The request goes to each voter in turn over the controller
     * request path until the leader takes it ({@link #addListener}); it is repeated every
     * {@link #JOIN_CHECK_MS} (a no-op while this node is a listener, a new join if a leader
     * change lost it), and after a failure every {@link #JOIN_RETRY_MS}, while this log is open.
     */
    private void joinAsListener(RaftPeer self) {
        quorumTasks.execute(() -> tryToJoin(self));
    }

    private void tryToJoin(RaftPeer self) {
        if (division.isEmpty()) {
            return;
        }
        long next = JOIN_RETRY_MS;
        byte[] address = self.getAddress().getBytes(StandardCharsets.UTF_8);
        ByteBuffer request = ByteBuffer.allocate(Integer.BYTES + address.length).putInt(settings.nodeId())
                .put(address).flip();
        Throwable lastFailure = null;
        for (QuorumVoter voter : settings.voters()) {
            try {
                ByteBuffer answer = sendToVoter(voter.id(), JOIN_AS_LISTENER, request.duplicate(), JOIN_TIMEOUT_MS)
                        .join();
                if (answer.get() == REFUSED) {
                    InconsistentQuorumException refused = new InconsistentQuorumException("The metadata quorum "
                            + "refused node " + settings.nodeId() + ": " + StandardCharsets.UTF_8.decode(answer));
                    log.error("{}", refused.getMessage());
                    inconsistencyListeners.forEach(listener -> listener.accept(refused));
                    return;
                }
                if (!joined) {
                    joined = true;
                    log.info("Node {} follows the metadata quorum as a listener", selfId);
                }
                next = JOIN_CHECK_MS;
                lastFailure = null;
                joinTlsFailing = false;
                break;
            } catch (RuntimeException notTheLeader) {
                lastFailure = notTheLeader;
            }
        }
        if (lastFailure != null && tlsFailure(lastFailure).isPresent()) {
            if (!joinTlsFailing) {
                log.warn("Node {} cannot join the metadata quorum (retrying, logged once): the TLS handshake with "
                        + "the voters failed: {}; check the controller listener's ssl.truststore.* and ssl.keystore.* "
                        + "settings here and on the voters", selfId, tlsFailure(lastFailure).get());
                joinTlsFailing = true;
            }
        } else if (lastFailure != null) {
            log.info("The metadata quorum did not add node {} as a listener yet: {}", selfId, lastFailure.toString());
        }
        try {
            quorumTasks.schedule(() -> tryToJoin(self), next, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the log closed meanwhile: nothing to join any more
        }
    }

    /**
     * On the leader: adds a broker-only node as a listener, keeping the voters and the other
     * listeners (Ratis sets the whole listener list at once). Configuration changes run one at a
     * time, each from the configuration the one before left, so nodes joining together do not drop
     * each other.
     */
    private CompletableFuture<ByteBuffer> addListener(RaftPeerId peerId, String address) {
        return CompletableFuture.supplyAsync(() -> {
            RaftServer.Division current = division.orElseThrow(() -> new IllegalStateException("closed"));
            List<RaftPeer> listeners = new ArrayList<>(current.getRaftConf().getCurrentPeers(RaftPeerRole.LISTENER));
            Optional<RaftPeer> known = listeners.stream().filter(peer -> peer.getId().equals(peerId)).findFirst();
            if (known.isPresent() && known.get().getAddress().equals(address)) {
                return joinAnswer(JOINED, "");
            }
            if (known.isPresent()) {
                // The node moved (restarted on another port), or another node has its id.
                if (answers(known.get())) {
                    return joinAnswer(REFUSED, "node " + peerId + " already follows the metadata quorum at "
                            + known.get().getAddress() + ", and a node at " + address + " asks to join with the same "
                            + "id: two nodes have node.id=" + peerId);
                }
                listeners.remove(known.get());
            }
            listeners.add(RaftPeer.newBuilder().setId(peerId).setAddress(address)
                    .setStartupRole(RaftPeerRole.LISTENER).build());
            setConfiguration(List.copyOf(current.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER)), listeners,
                    "add listener " + peerId);
            log.info("Node {} added to the metadata quorum as a listener at {}", peerId, address);
            return joinAnswer(JOINED, "");
        }, configurationChanges);
    }

    private static ByteBuffer joinAnswer(byte outcome, String why) {
        byte[] text = why.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + text.length).put(outcome).put(text).flip();
    }

    /** Whether a Raft server answers at the peer's address (Ratis' group management API, a short wait). */
    private boolean answers(RaftPeer peer) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, VOTER_CHECK_TIMEOUT);
        RaftPeer asVoter = RaftPeer.newBuilder().setId(peer.getId()).setAddress(peer.getAddress()).build();
        try (RaftClient client = RaftClient.newBuilder().setParameters(parameters()).setProperties(properties)
                .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), List.of(asVoter)))
                .setRetryPolicy(RetryPolicies.noRetry()).build()) {
            return client.getGroupManagementApi(peer.getId()).list().getGroupIds().contains(group.getGroupId());
        } catch (IOException | RuntimeException notAnswering) {
            return false;
        }
    }

    private void setConfiguration(List<RaftPeer> voters, List<RaftPeer> listeners, String what) {
        try (RaftClient client = raftClient()) {
            RaftClientReply reply = client.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                    .setServersInNewConf(voters)
                    .setListenersInNewConf(listeners)
                    .setMode(SetConfigurationRequest.Mode.SET_UNCONDITIONALLY)
                    .build());
            if (!reply.isSuccess()) {
                throw new MetadataQuorumException("The metadata quorum did not " + what, reply.getException());
            }
        } catch (IOException e) {
            throw new MetadataQuorumException("Cannot ask the metadata quorum to " + what, e);
        }
    }

    /**
     * Proposes the batch to the quorum. Completes with its base offset once it is committed and
     * delivered to this node's listener; fails with {@link NotControllerException} unless this node
     * is the ready leader (also when it loses leadership before the batch commits), and with
     * {@link MetadataQuorumException} when the batch is rejected.
     */
    @Override
    public CompletableFuture<Long> append(List<MetadataRecord> records) {
        Optional<RaftServer.Division> current = division;
        if (current.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("metadata log not started"));
        }
        if (!isLeader(current.get().getInfo())) {
            return CompletableFuture.failedFuture(notController(leaderId()));
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(selfId)
                .setGroupId(group.getGroupId())
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(ByteString.copyFrom(RecordListCodec.encode(records))))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        try {
            return server.submitClientRequestAsync(request).thenApply(RaftMetadataLog::baseOffset);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Whether this node is the leader and has applied every batch of earlier leaders: the active controller. */
    @Override
    public boolean isLeader() {
        return division.map(d -> isLeader(d.getInfo())).orElse(false);
    }

    /** The node id of the current leader, if this node knows one. */
    @Override
    public OptionalInt leaderId() {
        return division.map(d -> d.getInfo().getLeaderId())
                .map(id -> OptionalInt.of(nodeId(id)))
                .orElse(OptionalInt.empty());
    }

    @Override
    public List<Integer> observerIds() {
        return division.map(d -> d.getRaftConf().getCurrentPeers(RaftPeerRole.LISTENER).stream()
                        .map(peer -> nodeId(peer.getId())).sorted().toList())
                .orElse(List.of());
    }

    /**
     * Asks the quorum to drop a listener from its configuration (the voters stay as they are), on a
     * thread of its own since the Raft client waits for the change to commit.
     */
    @Override
    public CompletableFuture<Void> removeObserver(int nodeId) {
        if (division.isEmpty() || !observerIds().contains(nodeId)) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {
            RaftServer.Division current = division.orElseThrow(() -> new IllegalStateException("closed"));
            List<RaftPeer> listeners = current.getRaftConf().getCurrentPeers(RaftPeerRole.LISTENER).stream()
                    .filter(peer -> nodeId(peer.getId()) != nodeId).toList();
            setConfiguration(List.copyOf(current.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER)), listeners,
                    "drop listener " + nodeId);
        }, configurationChanges);
    }

    private RaftClient raftClient() {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        RaftGroup voters = RaftGroup.valueOf(group.getGroupId(),
                settings.voters().stream().map(RaftMetadataLog::peer).toList());
        return RaftClient.newBuilder().setParameters(parameters()).setRaftGroup(voters).setProperties(properties)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
                        TimeDuration.valueOf(500, TimeUnit.MILLISECONDS)))
                .build();
    }

    /**
     * What the leader's state machine is asked to answer outside the log: a controller request
     * for the broker layer, or a broker-only node asking to join as a listener (its node id and
     * Raft address).
     */
    private CompletableFuture<ByteBuffer> serveQuorumRequest(ByteBuffer request) {
        byte kind = request.get();
        if (kind == CONTROLLER_REQUEST) {
            return controllerRequests.handle(request.slice());
        }
        if (kind == JOIN_AS_LISTENER) {
            int nodeId = request.getInt();
            return addListener(peerId(nodeId), StandardCharsets.UTF_8.decode(request).toString());
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException("unknown quorum request kind " + kind));
    }

    @Override
    public void serveControllerRequests(ControllerRequestHandler handler) {
        controllerRequests = Objects.requireNonNull(handler, "handler");
    }

    /**
     * A read-only Ratis request to that one server, which Ratis serves only on the leader (others
     * answer NotLeader) and hands to its state machine's query: no entry in the log. Not retried,
     * neither by Ratis nor here: the caller decides, as with a lost connection.
     */
    @Override
    public CompletableFuture<ByteBuffer> sendToController(int nodeId, ByteBuffer request, long timeoutMs) {
        return sendToVoter(nodeId, CONTROLLER_REQUEST, request, timeoutMs);
    }

    /** A request of {@code kind} to the leader, if node {@code nodeId} is it; see {@link #serveQuorumRequest}. */
    private CompletableFuture<ByteBuffer> sendToVoter(int nodeId, byte kind, ByteBuffer body, long timeoutMs) {
        ByteBuffer request = ByteBuffer.allocate(1 + body.remaining()).put(kind).put(body).flip();
        RaftClient client;
        try {
            client = controllerClient();
        } catch (IllegalStateException closed) {
            return CompletableFuture.failedFuture(closed);
        }
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = client.async().sendReadOnlyUnordered(Message.valueOf(ByteString.copyFrom(request)),
                    peerId(nodeId));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return reply.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handle((answer, failure) -> {
            if (failure != null) {
                for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                    if (cause instanceof NotLeaderException notLeader) {
                        throw notController(suggestedLeader(notLeader));
                    }
                    if (cause instanceof LeaderNotReadyException || cause instanceof LeaderSteppingDownException) {
                        throw notController(OptionalInt.empty());
                    }
                }
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                // Ratis closes a client's connection to a peer that failed, and does not reopen it.
                dropControllerClient(client);
                // gRPC says UNAVAILABLE whatever the reason; a refused certificate is worth naming.
                throw new MetadataQuorumException("No answer from the controller on node " + nodeId + ": "
                        + tlsFailure(cause).map(tls -> "the TLS handshake failed: " + tls)
                        .orElse(cause.toString()), cause);
            }
            if (answer.isSuccess()) {
                return answer.getMessage().getContent().asReadOnlyByteBuffer();
            }
            if (answer.getNotLeaderException() != null) {
                throw notController(suggestedLeader(answer.getNotLeaderException()));
            }
            if (answer.getLeaderNotReadyException() != null || answer.getLeaderSteppingDownException() != null) {
                throw notController(OptionalInt.empty());
            }
            throw new MetadataQuorumException("The controller on node " + nodeId + " failed the request",
                    answer.getException());
        });
    }

    private synchronized void dropControllerClient(RaftClient failed) {
        if (controllerClient == failed) {
            controllerClient = null;
            try {
                failed.close();
            } catch (IOException e) {
                log.debug("Closing a failed controller client: {}", e.toString());
            }
        }
    }

    private synchronized RaftClient controllerClient() {
        if (division.isEmpty()) {
            throw new IllegalStateException("metadata log not started or closed");
        }
        if (controllerClient == null) {
            RaftProperties properties = new RaftProperties();
            RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
            RaftClientConfigKeys.Rpc.setRequestTimeout(properties, CONTROLLER_REQUEST_TIMEOUT);
            RaftGroup voters = RaftGroup.valueOf(group.getGroupId(),
                    settings.voters().stream().map(RaftMetadataLog::peer).toList());
            controllerClient = RaftClient.newBuilder().setParameters(parameters()).setRaftGroup(voters)
                    .setProperties(properties)
                    .setRetryPolicy(RetryPolicies.noRetry()).build();
        }
        return controllerClient;
    }

    /**
     * On the leader: each other replica's commit index, which the leader learns from its replies,
     * as a metadata offset, and when the leader last heard from it.
     */
    @Override
    public Map<Integer, ReplicaProgress> replicaProgress() {
        Optional<RaftServer.Division> current = division;
        if (current.isEmpty() || !isLeader(current.get().getInfo())) {
            return Map.of();
        }
        long now = System.currentTimeMillis();
        Map<Integer, Long> lastHeard = new HashMap<>();
        RoleInfoProto role = current.get().getInfo().getRoleInfoProto();
        for (ServerRpcProto follower : role.getLeaderInfo().getFollowerInfoList()) {
            lastHeard.put(nodeId(RaftPeerId.valueOf(follower.getId().getId())),
                    now - follower.getLastRpcElapsedTimeMs());
        }
        Map<Integer, ReplicaProgress> progress = new HashMap<>();
        for (CommitInfoProto commit : current.get().getCommitInfos()) {
            int nodeId = nodeId(RaftPeerId.valueOf(commit.getServer().getId()));
            if (nodeId != settings.nodeId()) {
                progress.put(nodeId, new ReplicaProgress(stateMachine.nextOffsetAt(commit.getCommitIndex()).orElse(-1),
                        lastHeard.getOrDefault(nodeId, -1L)));
            }
        }
        return progress;
    }

    @Override
    public long leaderEpoch() {
        return division.map(d -> d.getInfo().getCurrentTerm()).orElse(0L);
    }

    @Override
    public void close() throws IOException {
        division = Optional.empty();
        quorumTasks.shutdownNow();
        configurationChanges.shutdownNow();
        synchronized (this) {
            if (controllerClient != null) {
                controllerClient.close();
                controllerClient = null;
            }
        }
        if (server != null) {
            server.close();
        }
    }

    private static boolean isLeader(DivisionInfo info) {
        return info.isLeader() && info.isLeaderReady();
    }

    private void leaderChanged(OptionalInt leaderId) {
        for (LeaderChangeListener listener : leaderListeners) {
            try {
                listener.onLeaderChange(leaderId);
            } catch (RuntimeException e) {
                log.error("Leader change listener {} failed", listener, e);
            }
        }
    }

    private static long baseOffset(RaftClientReply reply) {
        if (reply.isSuccess()) {
            return MetadataStateMachine.baseOffset(reply.getMessage());
        }
        NotLeaderException notLeader = reply.getNotLeaderException();
        if (notLeader != null) {
            throw notController(suggestedLeader(notLeader));
        }
        if (reply.getLeaderNotReadyException() != null || reply.getLeaderSteppingDownException() != null) {
            throw notController(OptionalInt.empty());
        }
        RaftException failure = reply.getException();
        throw new MetadataQuorumException("The metadata quorum did not commit the batch", failure);
    }

    private static OptionalInt suggestedLeader(NotLeaderException notLeader) {
        return notLeader.getSuggestedLeader() == null ? OptionalInt.empty()
                : OptionalInt.of(nodeId(notLeader.getSuggestedLeader().getId()));
    }

    private static NotControllerException notController(OptionalInt leaderId) {
        return new NotControllerException("This node is not the active controller"
                + (leaderId.isPresent() ? "; the leader is node " + leaderId.getAsInt() : "; no leader is known"),
                leaderId);
    }

    /** Refuses a Raft directory of another cluster, or a node that also has a single-node metadata log. */
    private void checkDirectory(Path raftDir) throws IOException {
        Path localLog = raftDir.resolveSibling(LocalMetadataLog.FILE_NAME);
        if (Files.exists(localLog)) {
            throw new InconsistentMetaPropertiesException("The data directory " + settings.firstLogDir()
                    + " holds a single-node metadata log (" + localLog + "); it cannot join the metadata quorum "
                    + RaftQuorumSettings.VOTERS_KEY + "=" + String.join(",",
                    settings.voters().stream().map(QuorumVoter::toString).toList()));
        }
        Files.createDirectories(raftDir);
        String ours = group.getGroupId().getUuid().toString();
        try (Stream<Path> children = Files.list(raftDir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                String name = child.getFileName().toString();
                if (!name.equals(ours) && isUuid(name)) {
                    throw new InconsistentMetaPropertiesException("The metadata quorum directory " + child
                            + " belongs to another cluster (Raft group " + name + "); this node is configured for"
                            + " cluster " + settings.clusterId() + " (Raft group " + ours + ")");
                }
            }
        }
    }

    private RaftProperties properties(Path raftDir) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        QuorumVoter self = settings.self();
        GrpcConfigKeys.Server.setHost(properties, self.host());
        GrpcConfigKeys.Server.setPort(properties, self.port());
        RaftServerConfigKeys.setStorageDir(properties, List.of(raftDir.toFile()));
        // Ratis' default (150-300 ms without a heartbeat starts an election) makes leadership flap
        // on a busy machine; Kafka's controllers wait controller.quorum.election.timeout.ms, 1 s.
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, ELECTION_TIMEOUT_MIN);
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, ELECTION_TIMEOUT_MAX);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, settings.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        tuning.accept(properties);
        return properties;
    }

    /** What Ratis takes besides its properties: the TLS configuration of its gRPC transport, if any. */
    private Parameters parameters() {
        Parameters parameters = new Parameters();
        settings.tls().ifPresent(tls -> GrpcConfigKeys.TLS.setConf(parameters, tls.toGrpc()));
        return parameters;
    }

    /**
     * Why a TLS handshake somewhere in {@code failure}'s causes failed (a certificate refused by one
     * side or the other): the TLS error and its innermost cause, which names the check that failed
     * (OpenSSL's engine, which gRPC uses, says only "General OpenSslEngine problem").
     */
    static Optional<String> tlsFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SSLException tls) {
                Throwable root = tls;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return Optional.of(root == tls ? tls.getMessage() : tls.getMessage() + ": " + root.getMessage());
            }
        }
        return Optional.empty();
    }

    private static boolean isUuid(String name) {
        try {
            UUID.fromString(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static RaftPeer listenerPeer(QuorumVoter self) {
        return RaftPeer.newBuilder().setId(peerId(self.id())).setAddress(self.address())
                .setStartupRole(RaftPeerRole.LISTENER).build();
    }

    private static RaftPeer peer(QuorumVoter voter) {
        return RaftPeer.newBuilder().setId(peerId(voter.id())).setAddress(voter.address()).build();
    }

    private static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    private static int nodeId(RaftPeerId peerId) {
        return Integer.parseInt(peerId.toString());
    }
}
