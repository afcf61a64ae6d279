package io.gregor.broker.partition;

import io.gregor.broker.metrics.BrokerTopicMetrics;
import io.gregor.broker.replication.ReplicaFetcherManager;
import io.gregor.broker.replication.ReplicationConfig;
import io.gregor.broker.replication.ReplicationQuota;
import io.gregor.broker.replication.ThrottleRates;
import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.MetadataPublisher;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.image.TopicImage;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.storage.log.LogConfig;
import io.gregor.storage.log.LogManager;
import io.gregor.storage.log.PartitionLog;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, kept in step with the metadata image: when a committed
 * metadata change gives this broker a replica of a partition, its log is opened or created and
 * the partition made leader or follower as the image says (a follower is handed to the replica
 * fetchers); when a topic is deleted or the replica moves away, its log goes; when a topic's
 * configs change, its logs take the new config; when this broker's or the cluster-wide dynamic
 * broker configs change, the replication throttle rates follow ({@link ThrottleRates}), and so do
 * the logs of topics without a setting of their own when a topic default changed. Every
 * {@code replica.lag.time.max.ms / 2} the partitions led here drop followers that fell behind
 * from their ISR, and every
 * {@code replica.high.watermark.checkpoint.interval.ms} replicated partitions write their high
 * watermark to disk.
 *
 * <p>Committed metadata is applied on this manager's own thread, in log order, not on the thread
 * that delivers it: the controller answers (CreateTopics...) once the records are committed, as
 * Kafka's does, and a new topic's logs are created after that. Metadata names the committed
 * leader at once, as Kafka's does. Until the change is applied, a partition it brings here is not
 * in the partition map: produce, list-offsets and fetch requests for it wait for the change
 * ({@link #leadershipPending}, {@link #awaitApplied}), other requests answer NOT_LEADER_OR_FOLLOWER
 * (it is in the committed image: {@link #notHostedError}), which clients retry.
 *
 * <p>Thread-safety: the partition map is concurrent; request handlers read it from any thread.
 */
public final class ReplicaManager implements MetadataPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);

    private final int nodeId;
    private final LogManager logManager;
    private final PartitionEnvironment env;
    private final ReplicaFetcherManager fetchers;
    /** Runs the ISR expiration and the high watermark checkpoints. */
    private final ScheduledExecutorService isrExpiration;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
    /** The latest committed image, which may be ahead of the partitions; what request handlers look up. */
    private volatile MetadataImage image;
    /** The offset after the last image the partitions were brought in line with. */
    private volatile long appliedOffset;
    /** Applies committed metadata, one change at a time, in log order. */
    private final ExecutorService applier;
    /** leader.replication.throttled.rate: what this broker sends to throttled followers. */
    private final ReplicationQuota leaderQuota;
    /** Keeps the leader and follower quotas at the rates the dynamic broker configs give. */
    private final ThrottleRates throttleRates;
    /** The broker-level topic defaults (topic config names) an image's dynamic broker configs give. */
    private final Function<MetadataImage, Map<String, String>> topicDefaults;

    /**
     * @param topicDefaults the broker-level topic defaults with an image's dynamic broker configs,
     *                      which the log manager's defaults follow
     */
    public ReplicaManager(LogManager logManager, PartitionEnvironment env, ReplicaFetcherManager fetchers,
                          ReplicationConfig config, MetadataImage initialImage,
                          Function<MetadataImage, Map<String, String>> topicDefaults) {
        this.nodeId = env.localBrokerId();
        this.topicDefaults = topicDefaults;
        this.logManager = logManager;
        this.env = env;
        this.fetchers = fetchers;
        this.image = initialImage;
        this.appliedOffset = initialImage.nextOffset();
        this.applier = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gregor-replica-state");
            thread.setDaemon(true);
            return thread;
        });
        this.leaderQuota = new ReplicationQuota(config.leaderThrottledRate());
        this.throttleRates = new ThrottleRates(nodeId, config, leaderQuota, fetchers.followerQuota());
        throttleRates.update(initialImage);
        this.isrExpiration = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gregor-isr-expiration");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, config.replicaLagTimeMaxMs() / 2);
        isrExpiration.scheduleAtFixedRate(() -> shrinkIsrs(config.replicaLagTimeMaxMs()), period, period,
                TimeUnit.MILLISECONDS);
        isrExpiration.scheduleWithFixedDelay(this::checkpointHighWatermarks, config.highWatermarkCheckpointIntervalMs(),
                config.highWatermarkCheckpointIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** The throttle of what this broker, as leader, sends to throttled followers. */
    public ReplicationQuota leaderQuota() {
        return leaderQuota;
    }

    /** The meters of records and bytes in and out, per topic and for all (Kafka's BrokerTopicMetrics). */
    public BrokerTopicMetrics topicMetrics() {
        return env.meters().topics();
    }

    /** How many partitions this broker hosts, led or followed. */
    public int partitionCount() {
        return partitions.size();
    }

    /** How many partitions this broker leads. */
    public int leaderCount() {
        return count(Partition::isLeader);
    }

    /** How many partitions this broker leads with fewer replicas in sync than it has. */
    public int underReplicatedPartitionCount() {
        return count(Partition::isUnderReplicated);
    }

    /** How many partitions this broker leads with fewer replicas in sync than min.insync.replicas. */
    public int underMinIsrPartitionCount() {
        return count(Partition::isUnderMinIsr);
    }

    private int count(Predicate<Partition> which) {
        int count = 0;
        for (Partition partition : partitions.values()) {
            if (which.test(partition)) {
                count++;
            }
        }
        return count;
    }

    /** A partition hosted here, led here or followed; handlers check {@link Partition#isLeader()}. */
    public Optional<Partition> partition(String topic, int index) {
        return Optional.ofNullable(partitions.get(new TopicPartition(topic, index)));
    }

    /**
     * Registers a listener and tells it at once of the partitions already led here, so it
     * does not matter whether it is added before or after the start image is loaded.
     */
    public void addLeadershipListener(LeadershipListener listener) {
        leadershipListeners.add(listener);
        partitions.values().stream().filter(Partition::isLeader).forEach(listener::onBecomeLeader);
    }

    /**
     * The partition a client addresses with its current leader epoch: NOT_LEADER_OR_FOLLOWER when
     * another broker leads it, UNKNOWN_TOPIC_OR_PARTITION when it does not exist,
     * FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH when the client's epoch is behind or ahead of ours.
     *
     * @throws ApiException with one of those codes
     */
    public Partition leaderPartition(String topic, int index, int currentLeaderEpoch) {
        TopicPartition tp = new TopicPartition(topic, index);
        Partition partition = partition(topic, index).filter(Partition::isLeader).orElseThrow(() -> new ApiException(
                notHostedError(tp), "This broker does not lead " + tp));
        Errors epochError = partition.checkLeaderEpoch(currentLeaderEpoch);
        if (epochError != Errors.NONE) {
            throw new ApiException(epochError, "Leader epoch " + currentLeaderEpoch + " of " + topic + "-" + index
                    + " does not match the current " + partition.leaderEpoch());
        }
        return partition;
    }

    /**
     * The error for a partition a request addresses that is not led here: NOT_LEADER_OR_FOLLOWER
     * when the metadata knows it (the client's metadata is stale), UNKNOWN_TOPIC_OR_PARTITION
     * otherwise.
     */
    public Errors notHostedError(TopicPartition tp) {
        return partitionExists(tp) ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    /** Whether a committed change is still queued for this manager's thread: cheap, for hot paths to ask first. */
    public boolean applyingChanges() {
        return appliedOffset < image.nextOffset();
    }

    /**
     * Whether the committed image has this broker lead the partition at an epoch it has not taken
     * up yet, because the change is still queued for this manager's thread (a new topic's logs are
     * being created). A request that finds this waits for {@link #awaitApplied} rather than being
     * answered NOT_LEADER_OR_FOLLOWER: the broker is the leader clients were told of.
     */
    public boolean leadershipPending(String topic, int index) {
        MetadataImage committed = image;
        if (appliedOffset >= committed.nextOffset()) {
            return false; // read after the image: an image applied meanwhile counts as applied
        }
        Optional<PartitionImage> wanted = committed.topic(topic).flatMap(t -> t.partition(index));
        if (wanted.isEmpty() || wanted.get().leader() != nodeId) {
            return false;
        }
        Partition partition = partitions.get(new TopicPartition(topic, index));
        return partition == null || !partition.isLeader() || partition.leaderEpoch() < wanted.get().leaderEpoch();
    }

    /**
     * Whether any partition of {@code request} is {@link #leadershipPending}: the check produce,
     * list-offsets and fetch make before they serve a request. {@code partitions} lists the
     * request's partitions and is called only while a change is queued, so a request on the hot
     * path costs one read of the applied offset.
     */
    public <R> boolean leadershipPendingForAny(R request, Function<R, Stream<TopicPartition>> partitions) {
        return applyingChanges()
                && partitions.apply(request).anyMatch(tp -> leadershipPending(tp.topic(), tp.partition()));
    }

    /**
     * Completes once the partitions match every image committed before this call (at once when
     * they already do), on this manager's thread: for requests that found
     * {@link #leadershipPending}, and for tests that act on the partitions right after a change.
     */
    public CompletableFuture<Void> awaitApplied() {
        if (!applyingChanges()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return CompletableFuture.runAsync(() -> { }, applier);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Whether the metadata knows this partition, wherever it is led. */
    public boolean partitionExists(TopicPartition tp) {
        return image.topic(tp.topic()).flatMap(topic -> topic.partition(tp.partition())).isPresent();
    }

    /** A registered broker's {@code broker.rack}, for choosing where consumers read (KIP-392). */
    public Optional<String> brokerRack(int brokerId) {
        return image.broker(brokerId).flatMap(BrokerRegistration::rack);
    }

    public Optional<String> topicName(UUID topicId) {
        return image.topic(topicId).map(TopicImage::name);
    }

    /**
     * Takes the image replayed at start: opens the partitions it gives this broker and deletes
     * logs left on disk for partitions no longer here (topics deleted while the broker was down).
     */
    public void loadImage(MetadataImage startImage) {
        image = startImage;
        for (PartitionLog log : logManager.allLogs()) {
            TopicPartition tp = log.topicPartition();
            boolean hostedHere = startImage.topic(tp.topic())
                    .flatMap(topic -> topic.partition(tp.partition()))
                    .filter(this::isReplicaHere)
                    .isPresent();
            if (!hostedHere) {
                LOG.info("Deleting the log of {}: the partition is no longer on this broker", tp);
                logManager.deleteLog(tp);
            }
        }
        reconcile(startImage, Set.of());
        appliedOffset = startImage.nextOffset();
    }

    /**
     * Takes a committed change: handlers see it at once, the partitions once the applier thread
     * gets to it. The change is queued before handlers can see it, so that an
     * {@link #awaitApplied} of a handler that saw it is queued behind it.
     */
    @Override
    public void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        try {
            applier.execute(() -> apply(delta, newImage));
        } catch (RejectedExecutionException closed) {
            LOG.debug("Not applying the metadata at offset {}: closed", newImage.nextOffset());
        }
        image = newImage;
    }

    private void apply(MetadataDelta delta, MetadataImage newImage) {
        try {
            applyChanges(delta, newImage);
        } catch (RuntimeException e) {
            // The change is committed whatever this broker makes of it; the next one is applied as usual.
            LOG.error("Cannot apply the metadata at offset {}", newImage.nextOffset(), e);
        } finally {
            appliedOffset = newImage.nextOffset();
        }
    }

    private void applyChanges(MetadataDelta delta, MetadataImage newImage) {
        for (TopicImage deleted : delta.deletedTopics().values()) {
            for (int index : deleted.partitions().keySet()) {
                removePartition(new TopicPartition(deleted.name(), index));
            }
            env.meters().topics().removeTopic(deleted.name());
        }
        Set<String> reconfigured = new HashSet<>();
        boolean brokerConfigChanged = false;
        for (ConfigResource resource : delta.changedConfigs()) {
            if (resource.type() == ConfigResourceType.TOPIC) {
                reconfigured.add(resource.name());
            } else if (throttleRates.concerns(resource)) {
                brokerConfigChanged = true;
            }
        }
        if (brokerConfigChanged) {
            throttleRates.update(newImage);
            if (logManager.setTopicDefaults(topicDefaults.apply(newImage))) {
                LOG.info("The dynamic topic defaults changed; reconfiguring the logs of every topic");
                reconfigured.addAll(newImage.topicsByName().keySet());
            }
        }
        reconcile(newImage, reconfigured);
    }

    private boolean isReplicaHere(PartitionImage partition) {
        return partition.replicas().contains(nodeId) || partition.leader() == nodeId;
    }

    private void reconcile(MetadataImage newImage, Set<String> reconfigured) {
        createNewLogs(newImage);
        RoleChanges changes = new RoleChanges();
        for (TopicImage topic : newImage.topicsByName().values()) {
            LogConfig config = logConfig(newImage, topic.name());
            for (PartitionImage partitionImage : topic.partitions().values()) {
                TopicPartition tp = new TopicPartition(topic.name(), partitionImage.partition());
                if (isReplicaHere(partitionImage)) {
                    ensurePartition(topic, partitionImage, config, reconfigured.contains(topic.name()), changes);
                } else if (partitions.containsKey(tp)) {
                    removePartition(tp); // the replica was moved to another broker
                }
            }
        }
        changes.log();
    }

    /**
     * The leaderships and followings one metadata change gave this broker, logged together: a
     * line per partition of a 1,000-partition topic was a tenth of its creation time.
     */
    private static final class RoleChanges {
        /** Partitions named one by one in the log when a change has at most this many. */
        private static final int NAMED = 10;
        private final List<String> led = new ArrayList<>();
        private final List<String> followed = new ArrayList<>();

        void led(TopicPartition tp, PartitionImage image) {
            led.add(tp + " at epoch " + image.leaderEpoch() + " with ISR " + image.isr());
        }

        void followed(TopicPartition tp, PartitionImage image) {
            followed.add(tp + " from leader " + image.leader() + " at epoch " + image.leaderEpoch());
        }

        void log() {
            log("Leading", led);
            log("Following", followed);
        }

        private static void log(String role, List<String> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            if (partitions.size() <= NAMED) {
                partitions.forEach(partition -> LOG.info("{} {}", role, partition));
            } else {
                LOG.info("{} {} partitions: {}, ..., {}", role, partitions.size(), partitions.get(0),
                        partitions.get(partitions.size() - 1));
                LOG.debug("{} {}", role, partitions);
            }
        }
    }

    /** The logs of the partitions new on this broker, made together (in parallel) before each is set up. */
    private void createNewLogs(MetadataImage newImage) {
        Map<TopicPartition, LogConfig> missing = new LinkedHashMap<>();
        for (TopicImage topic : newImage.topicsByName().values()) {
            LogConfig config = null;
            for (PartitionImage partitionImage : topic.partitions().values()) {
                TopicPartition tp = new TopicPartition(topic.name(), partitionImage.partition());
                if (isReplicaHere(partitionImage) && !partitions.containsKey(tp)) {
                    config = config == null ? logConfig(newImage, topic.name()) : config;
                    missing.put(tp, config);
                }
            }
        }
        if (missing.size() > 1) {
            logManager.createLogs(missing);
        }
    }

    private LogConfig logConfig(MetadataImage metadata, String topic) {
        return logManager.logConfig(metadata.configs(new ConfigResource(ConfigResourceType.TOPIC, topic)));
    }

    private void ensurePartition(TopicImage topic, PartitionImage partitionImage, LogConfig config,
                                 boolean reconfigured, RoleChanges changes) {
        TopicPartition tp = new TopicPartition(topic.name(), partitionImage.partition());
        Partition partition = partitions.get(tp);
        if (partition != null && !partition.topicId().equals(topic.id())) {
            // The name now belongs to a new topic: the old topic's data must not show through.
            removePartition(tp);
            partition = null;
        }
        if (partition == null) {
            partition = new Partition(tp, topic.id(), logManager.getOrCreateLog(tp, config), env);
            partitions.put(tp, partition);
        } else if (reconfigured) {
            partition.log().updateConfig(config);
        }
        boolean wasLeader = partition.isLeader();
        if (partitionImage.leader() == nodeId) {
            // Stop copying before leading: no fetcher may append once this broker writes as leader.
            fetchers.unfollow(tp);
            boolean newEpoch = partition.makeLeader(partitionImage);
            if (newEpoch) {
                changes.led(tp, partitionImage);
                Partition led = partition;
                leadershipListeners.forEach(listener -> listener.onBecomeLeader(led));
            }
        } else {
            boolean changed = partition.makeFollower(partitionImage);
            if (wasLeader) {
                leadershipListeners.forEach(listener -> listener.onResignLeader(tp));
            }
            if (changed) {
                if (partitionImage.leaderId().isPresent()) {
                    changes.followed(tp, partitionImage);
                    fetchers.follow(partition, partitionImage.leader(), partitionImage.leaderEpoch());
                } else {
                    fetchers.unfollow(tp);
                }
            }
        }
    }

    private void removePartition(TopicPartition tp) {
        fetchers.unfollow(tp);
        Partition removed = partitions.remove(tp);
        if (removed != null) {
            if (removed.isLeader()) {
                leadershipListeners.forEach(listener -> listener.onResignLeader(tp));
            }
            // Parked fetches and produces on the partition answer now.
            removed.stop();
            logManager.deleteLog(tp);
            LOG.info("Deleted partition {}", tp);
        }
    }

    private void shrinkIsrs(long maxLagMs) {
        for (Partition partition : partitions.values()) {
            try {
                partition.maybeShrinkIsr(maxLagMs);
            } catch (RuntimeException e) {
                LOG.warn("Cannot check the ISR of {}", partition.topicPartition(), e);
            }
        }
    }

    /** Only replicated partitions: with one replica the HW is the log end, which a restart finds anyway. */
    private void checkpointHighWatermarks() {
        for (Partition partition : partitions.values()) {
            try {
                if (partition.isReplicated()) {
                    partition.log().checkpointHighWatermark();
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot checkpoint the high watermark of {}", partition.topicPartition(), e);
            }
        }
    }

    @Override
    public void close() {
        applier.shutdown();
        try {
            if (!applier.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Metadata changes were still being applied at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        isrExpiration.shutdownNow();
        fetchers.close();
    }

    /** DescribeLogDirs: every log directory with the sizes of the partitions in it. */
    public List<LogDirUsage> logDirUsage() {
        List<LogDirUsage> usage = new ArrayList<>();
        for (Path dir : logManager.logDirs()) {
            if (logManager.isOffline(dir)) {
                usage.add(new LogDirUsage(dir.toString(), Errors.KAFKA_STORAGE_ERROR, -1, -1, Map.of()));
                continue;
            }
            Map<TopicPartition, Long> sizes = new LinkedHashMap<>();
            for (PartitionLog log : logManager.logsIn(dir)) {
                sizes.put(log.topicPartition(), log.sizeInBytes());
            }
            long total = -1;
            long usable = -1;
            try {
                FileStore store = Files.getFileStore(dir);
                total = store.getTotalSpace();
                usable = store.getUsableSpace();
            } catch (IOException e) {
                LOG.warn("Cannot read the size of the file system of {}: {}", dir, e.getMessage());
            }
            usage.add(new LogDirUsage(dir.toAbsolutePath().toString(), Errors.NONE, total, usable, sizes));
        }
        return usage;
    }
}
