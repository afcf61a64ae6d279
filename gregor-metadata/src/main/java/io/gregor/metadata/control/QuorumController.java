package io.gregor.metadata.control;

import io.gregor.metadata.acl.AclBinding;
import io.gregor.metadata.acl.AclBindingFilter;
import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.MetadataPublisher;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.quorum.CommittedBatchListener;
import io.gregor.metadata.quorum.ControllerRequestHandler;
import io.gregor.metadata.quorum.MetadataBatch;
import io.gregor.metadata.quorum.MetadataLog;
import io.gregor.metadata.quorum.MetadataSnapshot;
import io.gregor.metadata.quorum.NotControllerException;
import io.gregor.metadata.quorum.ReplicaProgress;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.UnregisterBrokerRecord;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller of cluster metadata. Each operation validates its request against the current
 * image and yields the records to write plus the response ({@link ControllerResult}); the records
 * are appended to the {@link MetadataLog} as one batch, and the image changes only when the
 * committed batch is replayed. A restart replays the same log and reaches the same image; with a
 * Raft quorum ({@link io.gregor.metadata.quorum.RaftMetadataLog}) every node's controller replays
 * the same log, and only the leader's operations commit (the others fail with NOT_CONTROLLER).
 *
 * <p>Threading: one thread, the controller's executor, decides operations and calls the log;
 * every public operation is queued onto it and answers with a future. The latest committed image
 * is published through a volatile field, so {@link #image()} may be read from any thread
 * (handlers answer Metadata requests from it without queueing). Committed batches are replayed,
 * and publishers called, on the thread the log delivers them on, one at a time under a lock.
 *
 * <p>Each operation decides against the image of every batch committed before it: the controller
 * thread waits for each append to be committed and replayed before it takes the next operation.
 * The local log commits (and replays) within {@code append}; the Raft log delivers commits on
 * Ratis' apply thread while the controller thread waits. Waiting costs one quorum round trip per
 * operation, which metadata changes can afford; deciding against an image that includes the
 * batches in flight, as Kafka's controller does, would lift that limit.
 */
public final class QuorumController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuorumController.class);
    /** How long an operation waits for its batch to commit; a quorum without a majority never commits. */
    private static final long COMMIT_TIMEOUT_SECONDS = 30;

    private final MetadataLog metadataLog;
    private final TopicControl topicControl;
    private final ConfigControl configControl;
    private final ScramControl scramControl = new ScramControl();
    private final AclControl aclControl = new AclControl();
    private final ClientQuotaControl clientQuotaControl = new ClientQuotaControl();
    private final DelegationTokenControl delegationTokenControl;
    private final DelegationTokenSettings delegationTokenSettings;
    /** unclean.leader.election.enable of the broker, the default of topics that do not set it. */
    private final boolean uncleanDefault;
    private final List<MetadataPublisher> publishers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor;
    /** A heartbeat without a broker epoch (a broker of this process, which registered directly). */
    public static final long NO_BROKER_EPOCH = -1;

    /**
     * The epoch of each broker's latest registration seen here while active in
     * {@link #brokerEpochsTerm}; only on the controller thread. Kept in memory, so a controller
     * active again in a later term starts afresh: registrations made with another controller
     * meanwhile would otherwise look like a second process with the same node id.
     */
    private final Map<Integer, Long> brokerEpochs = new HashMap<>();
    private long brokerEpochsTerm = -1;
    /** When each broker was last heard from (registration or heartbeat); only on the controller thread. */
    private final Map<Integer, Long> lastContactNanos = new HashMap<>();
    /** Whether this node was the active controller at the last session check; only on the controller thread. */
    private boolean wasActive;
    /** When the last session check ran; only on the controller thread. */
    private long lastCheckNanos = System.nanoTime();
    private volatile Optional<TopicCreationForwarder> forwarder = Optional.empty();

    private volatile MetadataImage image;
    /**
     * Held while applying what the log delivers, and while start finishes: a replicated log may
     * deliver a new commit on its own thread just as the replayed log is being published.
     */
    private final Object deliveryLock = new Object();
    /** While starting, batches accumulate here so that publishers see the replayed log as one delta. */
    private Optional<MetadataDelta> startupDelta = Optional.empty();

    public QuorumController(String clusterId, MetadataLog metadataLog, ControllerSettings settings) {
        this(clusterId, metadataLog, settings, UUID::randomUUID);
    }

    /** @param topicIds the source of new topic ids; tests pass a deterministic one */
    public QuorumController(String clusterId, MetadataLog metadataLog, ControllerSettings settings,
                           Supplier<UUID> topicIds) {
        this.image = MetadataImage.empty(clusterId);
        this.metadataLog = metadataLog;
        this.topicControl = new TopicControl(settings, topicIds);
        this.configControl = new ConfigControl(settings.configSchema());
        this.uncleanDefault = settings.uncleanLeaderElectionEnable();
        this.delegationTokenSettings = settings.delegationTokens();
        this.delegationTokenControl = new DelegationTokenControl(settings.delegationTokens(),
                System::currentTimeMillis, UUID::randomUUID);
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "metadata-controller");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers a publisher; register before {@link #start} to see the replayed log. */
    public void addPublisher(MetadataPublisher publisher) {
        publishers.add(publisher);
    }

    /**
     * Replays the log into the image and publishes it (as one delta from the empty image).
     * Completes when the controller is ready for operations.
     */
    public CompletableFuture<MetadataImage> start() {
        return CompletableFuture.supplyAsync(() -> {
            synchronized (deliveryLock) {
                startupDelta = Optional.of(new MetadataDelta(image));
            }
            try {
                metadataLog.start(new Replayer());
            } catch (IOException e) {
                throw new MetadataLogException("Cannot read the metadata log", e);
            }
            synchronized (deliveryLock) {
                MetadataDelta delta = startupDelta.orElseThrow();
                startupDelta = Optional.empty();
                image = delta.apply();
                publish(delta, image);
            }
            log.info("Metadata loaded: {} topics, {} brokers, next offset {}", image.topicsByName().size(),
                    image.brokers().size(), image.nextOffset());
            return image;
        }, executor);
    }

    /** The latest committed image; readable from any thread. */
    public MetadataImage image() {
        return image;
    }

    public CompletableFuture<List<CreateTopicResult>> createTopics(List<CreatableTopic> topics, boolean validateOnly) {
        Optional<TopicCreationForwarder> to = forwarder;
        OptionalInt leader = metadataLog.leaderId();
        if (to.isPresent() && !metadataLog.isLeader() && leader.isPresent()) {
            return to.get().createTopics(topics, validateOnly);
        }
        return run(current -> topicControl.createTopics(current, topics), validateOnly);
    }

    /**
     * Sends topic creations decided on another node to the active controller, so that brokers
     * create topics (auto-creation, internal topics, CreateTopics) wherever they are asked.
     */
    public interface TopicCreationForwarder {
        CompletableFuture<List<CreateTopicResult>> createTopics(List<CreatableTopic> topics, boolean validateOnly);
    }

    /** In a cluster: where createTopics goes when this node is not the active controller. */
    public void setTopicCreationForwarder(TopicCreationForwarder topicCreationForwarder) {
        this.forwarder = Optional.of(topicCreationForwarder);
    }

    /** Whether this node's operations commit: it is the active controller (always, for a single node). */
    public boolean isActive() {
        return metadataLog.isLeader();
    }

    /** The nodes that follow the metadata log without voting (broker-only nodes). */
    public List<Integer> quorumObservers() {
        return metadataLog.observerIds();
    }

    /** How far the other replicas of the metadata log are, by node id; known on the quorum's leader only. */
    public Map<Integer, ReplicaProgress> quorumReplicaProgress() {
        return metadataLog.replicaProgress();
    }

    /** The epoch (Raft term) of the metadata quorum as this node knows it; 0 for a single node. */
    public long quorumEpoch() {
        return metadataLog.leaderEpoch();
    }

    /** The active controller's node id as this node knows it; empty for a single node, or without a leader. */
    public OptionalInt activeControllerId() {
        return metadataLog.leaderId();
    }

    /** Sends a request to the controller on node {@code nodeId} over the quorum ({@link MetadataLog#sendToController}). */
    public CompletableFuture<ByteBuffer> sendToController(int nodeId, ByteBuffer request, long timeoutMs) {
        return metadataLog.sendToController(nodeId, request, timeoutMs);
    }

    /** Serves the requests other nodes send to this one while it is the active controller. */
    public void serveControllerRequests(ControllerRequestHandler handler) {
        metadataLog.serveControllerRequests(handler);
    }

    public CompletableFuture<List<DeleteTopicResult>> deleteTopics(List<TopicReference> topics) {
        return run(current -> topicControl.deleteTopics(current, topics), false);
    }

    public CompletableFuture<List<PartitionIncreaseResult>> createPartitions(List<PartitionIncrease> increases,
                                                                             boolean validateOnly) {
        return run(current -> topicControl.createPartitions(current, increases), validateOnly);
    }

    public CompletableFuture<Map<ConfigResource, ApiError>> incrementalAlterConfigs(
            Map<ConfigResource, List<ConfigOperation>> changes, boolean validateOnly) {
        return run(current -> configControl.incrementalAlterConfigs(current, changes), validateOnly);
    }

    /** The legacy AlterConfigs: each resource's overrides are replaced by exactly the given set. */
    public CompletableFuture<Map<ConfigResource, ApiError>> alterConfigs(
            Map<ConfigResource, Map<String, String>> configs, boolean validateOnly) {
        return run(current -> configControl.alterConfigs(current, configs), validateOnly);
    }

    /**
     * Deletes and sets users' SCRAM credentials (KIP-554), all-or-nothing per user. Completes with
     * the outcome of each user named in the request, in the order the request first names them.
     */
    public CompletableFuture<Map<String, ApiError>> alterUserScramCredentials(List<ScramDeletion> deletions,
                                                                             List<ScramUpsertion> upsertions) {
        return run(current -> scramControl.alterUserScramCredentials(current, deletions, upsertions), false);
    }

    /**
     * Creates a delegation token for {@code owner}, asked for by {@code requester} (KIP-48, KIP-373);
     * see {@link DelegationTokenControl#create}. Fails with DELEGATION_TOKEN_AUTH_DISABLED without a
     * secret key.
     */
    public CompletableFuture<CreatedDelegationToken> createDelegationToken(String owner, String requester,
                                                                          List<String> renewers, long maxLifetimeMs) {
        return run(current -> delegationTokenControl.create(owner, requester, renewers, maxLifetimeMs), false);
    }

    /**
     * Renews the token of that HMAC for {@code principal}, its owner or a renewer; completes with
     * its new expiry timestamp, or fails with DELEGATION_TOKEN_NOT_FOUND, _EXPIRED, _OWNER_MISMATCH
     * or _AUTH_DISABLED.
     */
    public CompletableFuture<Long> renewDelegationToken(byte[] hmac, long renewPeriodMs, String principal) {
        return run(current -> delegationTokenControl.renew(current, hmac, renewPeriodMs, principal), false);
    }

    /**
     * Moves the expiry of the token of that HMAC, for {@code principal}, its owner or a renewer; a
     * negative period removes it now. Completes with its expiry timestamp; fails as
     * {@link #renewDelegationToken} does.
     */
    public CompletableFuture<Long> expireDelegationToken(byte[] hmac, long expiryPeriodMs, String principal) {
        return run(current -> delegationTokenControl.expire(current, hmac, expiryPeriodMs, principal), false);
    }

    /**
     * With delegation tokens enabled: every {@code delegation.token.expiry.check.interval.ms}, the
     * active controller removes the tokens past their expiry, so that every node forgets them.
     */
    public void startDelegationTokenExpiry() {
        if (!delegationTokenSettings.enabled()) {
            return;
        }
        long interval = delegationTokenSettings.expiryCheckIntervalMs();
        executor.scheduleWithFixedDelay(() -> {
            if (isActive()) {
                CompletableFuture<Integer> removal = new CompletableFuture<>();
                removal.whenComplete(QuorumController::logExpiredTokens);
                decideAndCommit(delegationTokenControl::removeExpired, false, removal);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    private static void logExpiredTokens(Integer removed, Throwable failure) {
        if (failure != null) {
            log.warn("Cannot remove expired delegation tokens: {}", failure.toString());
        } else if (removed > 0) {
            log.info("Removed {} expired delegation token(s)", removed);
        }
    }

    /**
     * Sets and removes client quotas (KIP-546), all-or-nothing per entity. Completes with one
     * outcome per alteration, in order: INVALID_REQUEST with the reason for an unknown key, a key
     * changed twice, or a value that is not a whole number of bytes per second of at least 1.
     */
    public CompletableFuture<List<ApiError>> alterClientQuotas(List<ClientQuotaAlteration> alterations,
                                                               boolean validateOnly) {
        return run(current -> clientQuotaControl.alterClientQuotas(current, alterations), validateOnly);
    }

    /**
     * Creates ACLs. Completes with one outcome per ACL, in order: INVALID_REQUEST with the reason
     * for one Kafka would refuse (empty resource name, a CLUSTER not named kafka-cluster, a
     * PREFIXED {@code *}, a principal not of the form {@code Type:name}, a host neither {@code *}
     * nor an IP address); success, without a change, for one that exists already.
     */
    public CompletableFuture<List<ApiError>> createAcls(List<AclBinding> acls) {
        return run(current -> aclControl.createAcls(current, acls), false);
    }

    /** Deletes the ACLs each filter matches. Completes with the ACLs deleted, per filter in order. */
    public CompletableFuture<List<List<AclBinding>>> deleteAcls(List<AclBindingFilter> filters) {
        return run(current -> aclControl.deleteAcls(current, filters), false);
    }

    /**
     * Registers a broker (unfenced), or updates its endpoints, rack and incarnation; a no-op when
     * nothing changed. Completes with the broker epoch: the metadata offset after the
     * registration, which the broker's heartbeats then carry. Fails with NOT_CONTROLLER unless
     * this node is the active controller.
     */
    public CompletableFuture<Long> registerBroker(BrokerRegistration registration) {
        return run(current -> {
            requireActive();
            lastContactNanos.put(registration.id(), System.nanoTime());
            ControllerResult<Void> result = ClusterControl.register(current, registration, uncleanDefault);
            long epoch = current.nextOffset() + result.records().size();
            brokerEpochsOfThisTerm().put(registration.id(), epoch);
            return new ControllerResult<>(result.records(), epoch);
        }, false);
    }

    /**
     * Removes a fenced broker for good (UnregisterBroker), and, if it followed the metadata log as
     * a broker-only node, drops it from the quorum's listeners. A live broker must be stopped first
     * (INVALID_REQUEST); an unknown one is BROKER_ID_NOT_REGISTERED. Should it come back, it
     * registers anew.
     */
    public CompletableFuture<Void> unregisterBroker(int brokerId) {
        return run(current -> {
            requireActive();
            BrokerRegistration broker = current.broker(brokerId).orElseThrow(() -> new ApiException(
                    Errors.BROKER_ID_NOT_REGISTERED, "Broker " + brokerId + " is not registered"));
            if (!broker.fenced()) {
                throw new ApiException(Errors.INVALID_REQUEST, "Broker " + brokerId
                        + " is not fenced; stop it before unregistering it");
            }
            lastContactNanos.remove(brokerId);
            return new ControllerResult<Void>(List.of(new UnregisterBrokerRecord(brokerId)), null);
        }, false).thenCompose(done -> metadataLog.removeObserver(brokerId));
    }

    /** What the controller answers a broker's heartbeat. */
    public record HeartbeatResult(boolean fenced, boolean shouldShutDown) {
    }

    /**
     * A broker is alive: its session is renewed, and it is unfenced if it was fenced. With
     * {@code wantShutDown} (controlled shutdown) its leaderships move to other in-sync replicas
     * and it is fenced; the answer tells it to shut down once that is committed.
     */
    public CompletableFuture<HeartbeatResult> brokerHeartbeat(int brokerId, boolean wantShutDown) {
        return brokerHeartbeat(brokerId, NO_BROKER_EPOCH, wantShutDown);
    }

    /**
     * Like {@link #brokerHeartbeat(int, boolean)}, from the broker registered at
     * {@code brokerEpoch}: a heartbeat with another epoch than the broker id's latest registration
     * comes from a process that another one registered over (two nodes with the same node.id),
     * and fails with STALE_BROKER_EPOCH. A controller that has not seen the registration (it
     * became active since) takes the first epoch it hears of.
     */
    public CompletableFuture<HeartbeatResult> brokerHeartbeat(int brokerId, long brokerEpoch, boolean wantShutDown) {
        return run(current -> {
            requireActive();
            BrokerRegistration broker = current.broker(brokerId).orElseThrow(() -> new ApiException(
                    Errors.BROKER_ID_NOT_REGISTERED, "Broker " + brokerId + " is not registered"));
            if (brokerEpoch != NO_BROKER_EPOCH) {
                long registered = brokerEpochsOfThisTerm().computeIfAbsent(brokerId, id -> brokerEpoch);
                if (registered != brokerEpoch) {
                    throw new ApiException(Errors.STALE_BROKER_EPOCH, "Broker " + brokerId + " was registered "
                            + "again (broker epoch " + registered + ") by another process after this one (epoch "
                            + brokerEpoch + ")");
                }
            }
            if (wantShutDown) {
                lastContactNanos.remove(brokerId);
                return new ControllerResult<>(ClusterControl.fence(current, brokerId, uncleanDefault),
                        new HeartbeatResult(true, true));
            }
            lastContactNanos.put(brokerId, System.nanoTime());
            List<MetadataRecord> records = ClusterControl.unfence(current, brokerId, uncleanDefault);
            return new ControllerResult<>(records, new HeartbeatResult(false, false));
        }, false);
    }

    /**
     * Checks, asked by the leader of a partition, then commits an ISR change (AlterPartition).
     * Completes with the partition as it is after the change, or fails with an
     * {@link ApiException} carrying the error the leader gets (NOT_CONTROLLER, FENCED_LEADER_EPOCH,
     * NOT_LEADER_OR_FOLLOWER, INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA, UNKNOWN_TOPIC_ID, ...).
     */
    public CompletableFuture<PartitionImage> alterPartition(UUID topicId, int partition, int leaderId, int leaderEpoch,
                                                            int partitionEpoch, List<Integer> newIsr) {
        return run(current -> {
            requireActive();
            return ReassignmentControl.completeIfCaughtUp(current, topicId, ClusterControl.alterPartition(current,
                    topicId, partition, leaderId, leaderEpoch, partitionEpoch, newIsr));
        }, false);
    }

    /**
     * Starts, replaces or cancels (an empty target) partition reassignments
     * (AlterPartitionReassignments); see {@link ReassignmentControl}. Answers per partition.
     */
    public CompletableFuture<Map<TopicPartition, ApiError>> alterPartitionReassignments(
            Map<TopicPartition, Optional<List<Integer>>> targets, boolean allowReplicationFactorChange) {
        return run(current -> {
            requireActive();
            return ReassignmentControl.alter(current, targets, allowReplicationFactorChange);
        }, false);
    }

    /**
     * The partitions being reassigned (ListPartitionReassignments), read on the active controller
     * so that a reassignment just started or completed shows as such.
     *
     * @param partitions the partitions asked about; empty: all
     */
    public CompletableFuture<Map<TopicPartition, PartitionImage>> listPartitionReassignments(
            Optional<Set<TopicPartition>> partitions) {
        return run(current -> {
            requireActive();
            return new ControllerResult<>(List.of(), ReassignmentControl.ongoing(current, partitions));
        }, false);
    }

    /**
     * Preferred-leader election (ElectLeaders with PREFERRED): the first replica of each named
     * partition takes the leadership when it is in sync and unfenced. Answers per partition.
     */
    public CompletableFuture<Map<TopicPartition, ApiError>> electPreferredLeaders(Set<TopicPartition> partitions) {
        return run(current -> {
            requireActive();
            Map<TopicPartition, ApiError> answers = new LinkedHashMap<>();
            Set<TopicPartition> electable = new HashSet<>();
            for (TopicPartition partition : partitions) {
                Optional<ApiError> error = ClusterControl.preferredElectionError(current, partition);
                answers.put(partition, error.orElse(ApiError.NONE));
                if (error.isEmpty()) {
                    electable.add(partition);
                }
            }
            List<MetadataRecord> records = electable.isEmpty() ? List.of()
                    : ClusterControl.electPreferred(current, Optional.of(electable));
            return new ControllerResult<>(records, answers);
        }, false);
    }

    /**
     * Unclean election (ElectLeaders with UNCLEAN): each named partition without a leader gets an
     * unfenced replica from outside its ISR. Answers per partition.
     */
    public CompletableFuture<Map<TopicPartition, ApiError>> electUncleanLeaders(Set<TopicPartition> partitions) {
        return run(current -> {
            requireActive();
            Map<TopicPartition, ApiError> answers = new LinkedHashMap<>();
            List<MetadataRecord> records = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                ControllerResult<ApiError> election = ClusterControl.electUnclean(current, partition);
                answers.put(partition, election.response());
                records.addAll(election.records());
            }
            return new ControllerResult<>(records, answers);
        }, false);
    }

    /**
     * In a cluster: fences brokers not heard from for {@code sessionTimeoutMs}, and, when
     * {@code rebalanceIntervalMs} is positive, moves leaderships back to preferred replicas that
     * often. Both only act while this node is the active controller; a node that becomes active
     * gives every broker a full session first, since it has not heard from any.
     */
    public void startBrokerSessions(long sessionTimeoutMs, long rebalanceIntervalMs) {
        long checkEveryMs = Math.max(100, Math.min(1_000, sessionTimeoutMs / 4));
        executor.scheduleWithFixedDelay(() -> checkSessions(TimeUnit.MILLISECONDS.toNanos(sessionTimeoutMs)),
                checkEveryMs, checkEveryMs, TimeUnit.MILLISECONDS);
        if (rebalanceIntervalMs > 0) {
            executor.scheduleWithFixedDelay(() -> run(current -> {
                        List<MetadataRecord> records = isActive()
                                ? ClusterControl.electPreferred(current, Optional.empty()) : List.of();
                        if (!records.isEmpty()) {
                            log.info("Moving {} leadership(s) back to preferred replicas", records.size());
                        }
                        return new ControllerResult<Void>(records, null);
                    }, false), rebalanceIntervalMs, rebalanceIntervalMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs on the controller thread (scheduled there), so it may decide and append directly. */
    private void checkSessions(long sessionTimeoutNanos) {
        if (!isActive()) {
            wasActive = false;
            return;
        }
        long now = System.nanoTime();
        boolean stalled = now - lastCheckNanos > sessionTimeoutNanos / 2;
        lastCheckNanos = now;
        if (!wasActive || stalled) {
            // Newly active, or this thread was held up (waiting for a commit) while heartbeats
            // queued behind it: what it knows of the brokers is stale, not their fault.
            wasActive = true;
            lastContactNanos.clear();
        }
        for (BrokerRegistration broker : image.unfencedBrokers().values()) {
            long last = lastContactNanos.computeIfAbsent(broker.id(), id -> now);
            if (now - last > sessionTimeoutNanos) {
                log.warn("Fencing broker {}: no heartbeat for {} ms", broker.id(),
                        TimeUnit.NANOSECONDS.toMillis(now - last));
                decideAndCommit(current -> new ControllerResult<Void>(
                                ClusterControl.fence(current, broker.id(), uncleanDefault), null),
                        false, new CompletableFuture<>());
                return; // one broker per check: the next decides against the image this one made
            }
        }
    }

    /** {@link #brokerEpochs}, emptied when this controller is active in a new term. */
    private Map<Integer, Long> brokerEpochsOfThisTerm() {
        long term = metadataLog.leaderEpoch();
        if (term != brokerEpochsTerm) {
            brokerEpochs.clear();
            brokerEpochsTerm = term;
        }
        return brokerEpochs;
    }

    private void requireActive() {
        if (!metadataLog.isLeader()) {
            OptionalInt leader = metadataLog.leaderId();
            throw new NotControllerException("This node is not the active controller"
                    + (leader.isPresent() ? "; the leader is node " + leader.getAsInt() : ""), leader);
        }
    }

    @Override
    public void close() throws IOException {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Metadata controller did not finish its queued operations in time");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        metadataLog.close();
    }

    /**
     * Runs one operation on the controller thread: decide against the image, then (unless only
     * validating) commit the records as one batch and answer once they are applied.
     */
    private <T> CompletableFuture<T> run(Function<MetadataImage, ControllerResult<T>> operation,
                                         boolean validateOnly) {
        CompletableFuture<T> response = new CompletableFuture<>();
        try {
            executor.execute(() -> decideAndCommit(operation, validateOnly, response));
        } catch (RejectedExecutionException e) {
            response.completeExceptionally(new IllegalStateException("The metadata controller is closed", e));
        }
        return response;
    }

    /** The body of {@link #run}, on the controller thread. */
    private <T> void decideAndCommit(Function<MetadataImage, ControllerResult<T>> operation, boolean validateOnly,
                                     CompletableFuture<T> response) {
        try {
            ControllerResult<T> result = operation.apply(image);
            if (validateOnly || result.records().isEmpty()) {
                response.complete(result.response());
                return;
            }
            metadataLog.append(result.records()).get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            response.complete(result.response());
        } catch (ExecutionException e) {
            // NOT_CONTROLLER and other coded failures reach the handler as they are.
            response.completeExceptionally(e.getCause() instanceof ApiException coded ? coded
                    : new MetadataLogException("Cannot commit metadata", e.getCause()));
        } catch (TimeoutException e) {
            response.completeExceptionally(new MetadataLogException("Metadata not committed within "
                    + COMMIT_TIMEOUT_SECONDS + " s", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.completeExceptionally(e);
        } catch (RuntimeException e) {
            response.completeExceptionally(e);
        }
    }

    /**
     * Replays a committed batch into a new image and tells the publishers. On the thread that
     * delivers commits, while the controller thread waits (see the class comment).
     */
    private void onCommit(MetadataBatch batch) {
        if (startupDelta.isPresent()) {
            batch.records().forEach(startupDelta.get()::replay);
            return;
        }
        MetadataDelta delta = new MetadataDelta(image);
        batch.records().forEach(delta::replay);
        image = delta.apply();
        publish(delta, image);
    }

    /**
     * Replaces the state by a snapshot's. At start this is the base the rest of the log replays
     * onto. Later (a follower so far behind that the leader sent a snapshot) publishers see every
     * topic of the snapshot as created, but not the topics deleted in the batches it skipped.
     */
    private void onSnapshot(MetadataSnapshot snapshot) {
        MetadataDelta delta = snapshot.toDelta(image.clusterId());
        if (startupDelta.isPresent()) {
            startupDelta = Optional.of(delta);
            return;
        }
        image = delta.apply();
        publish(delta, image);
    }

    /** What the log delivers to: batches and snapshots, one at a time under the delivery lock. */
    private final class Replayer implements CommittedBatchListener {
        @Override
        public void onCommit(MetadataBatch batch) {
            synchronized (deliveryLock) {
                QuorumController.this.onCommit(batch);
            }
        }

        @Override
        public void onSnapshot(MetadataSnapshot snapshot) {
            synchronized (deliveryLock) {
                QuorumController.this.onSnapshot(snapshot);
            }
        }
    }

    private void publish(MetadataDelta delta, MetadataImage newImage) {
        for (MetadataPublisher publisher : publishers) {
            try {
                publisher.onMetadataUpdate(delta, newImage);
            } catch (RuntimeException e) {
                // The batch is committed whatever a publisher thinks of it; keep the others informed.
                log.error("Metadata publisher {} failed on the image at offset {}", publisher, newImage.nextOffset(), e);
            }
        }
    }
}
