package io.gregor.broker.group;

import io.gregor.broker.partition.LeadershipListener;
import io.gregor.broker.partition.Partition;
import io.gregor.broker.txn.TransactionMarkerListener;
import io.gregor.broker.txn.TransactionResult;
import io.gregor.metadata.control.CreatableTopic;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.image.BrokerRegistration;
import io.gregor.metadata.image.InternalTopics;
import io.gregor.metadata.image.MetadataDelta;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.image.MetadataPublisher;
import io.gregor.metadata.image.PartitionImage;
import io.gregor.metadata.image.TopicImage;
import io.gregor.metadata.record.BrokerEndpoint;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ListGroupsResponse;
import io.gregor.storage.log.LogConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.UUID;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator of this broker: one {@link CoordinatorShard} per partition of
 * {@code __consumer_offsets} this broker leads, created and dropped as leadership comes and goes
 * (it listens to the replica manager). A group belongs to the shard of partition
 * {@code abs(groupId.hashCode()) % offsets.topic.num.partitions}, the same function Kafka uses,
 * so every broker and client agrees on it. Requests for a group whose partition is led
 * elsewhere answer NOT_COORDINATOR.
 *
 * <p>Threads: shards are spread over a few single-threaded executors (shard {@code p} runs on
 * executor {@code p % threads}); each shard's state is touched only by its executor. The shard
 * map itself is concurrent: handlers look shards up from network threads.
 */
public final class GroupCoordinator implements LeadershipListener, MetadataPublisher, TransactionMarkerListener,
        AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupCoordinatorConfig config;
    private final QuorumController controller;
    private final Clock clock;
    private final ScheduledExecutorService[] threads;
    private final Map<Integer, CoordinatorShard> shards = new ConcurrentHashMap<>();
    private final int nodeId;
    private final AtomicReference<CompletableFuture<Void>> topicCreation = new AtomicReference<>();
    /** The topics consumer groups subscribe to, read from the current metadata image. */
    private final SubscribableTopics topics = new SubscribableTopics() {
        @Override
        public Optional<TopicInfo> byName(String name) {
            return controller.image().topic(name).filter(topic -> !topic.isInternal()).map(GroupCoordinator::info);
        }

        @Override
        public Optional<TopicInfo> byId(UUID id) {
            return controller.image().topic(id).map(GroupCoordinator::info);
        }

        @Override
        public Collection<TopicInfo> all() {
            return controller.image().topicsByName().values().stream().filter(topic -> !topic.isInternal())
                    .map(GroupCoordinator::info).toList();
        }
    };

    /**
     * @param nodeId this broker's id: a group whose {@code __consumer_offsets} partition the
     *               metadata has this broker lead, but whose shard is not loaded yet, is loading here
     */
    public GroupCoordinator(GroupCoordinatorConfig config, QuorumController controller, int nodeId, int threadCount,
                            Clock clock) {
        this.config = config;
        this.controller = controller;
        this.nodeId = nodeId;
        this.clock = clock;
        this.threads = new ScheduledExecutorService[threadCount];
        for (int i = 0; i < threadCount; i++) {
            String name = "gregor-group-coordinator-" + i;
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
            });
            // At shutdown, pending timers (sessions, rebalances) are dropped rather than waited for.
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            executor.setRemoveOnCancelPolicy(true);
            threads[i] = executor;
        }
    }

    private static SubscribableTopics.TopicInfo info(TopicImage topic) {
        return new SubscribableTopics.TopicInfo(topic.id(), topic.name(), topic.partitionCount());
    }

    /** The {@code __consumer_offsets} partition that holds a group. */
    public int partitionFor(String groupId) {
        int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % config.offsetsTopicPartitions();
    }

    @Override
    public void onBecomeLeader(Partition partition) {
        TopicPartition tp = partition.topicPartition();
        if (!tp.topic().equals(InternalTopics.CONSUMER_OFFSETS)) {
            return;
        }
        CoordinatorShard shard = new CoordinatorShard(new PartitionCoordinatorLog(partition),
                threads[tp.partition() % threads.length], config, clock, topics);
        CoordinatorShard previous = shards.putIfAbsent(tp.partition(), shard);
        if (previous != null && previous.log() instanceof PartitionCoordinatorLog log && log.isOver(partition)) {
            return;
        }
        if (previous != null) {
            previous.unload();
            shards.put(tp.partition(), shard);
        }
        LOG.info("Loading the groups of {}", tp);
        shard.startLoading();
    }

    @Override
    public void onResignLeader(TopicPartition topicPartition) {
        if (!topicPartition.topic().equals(InternalTopics.CONSUMER_OFFSETS)) {
            return;
        }
        CoordinatorShard shard = shards.remove(topicPartition.partition());
        if (shard != null) {
            LOG.info("Unloading the groups of {}", topicPartition);
            shard.unload();
        }
    }

    /** A transaction ended on a partition of ours: its pending offset commits are applied or dropped. */
    @Override
    public void onMarkerCommitted(TopicPartition partition, long producerId, TransactionResult result) {
        if (!partition.topic().equals(InternalTopics.CONSUMER_OFFSETS)) {
            return;
        }
        CoordinatorShard shard = shards.get(partition.partition());
        if (shard != null) {
            shard.onTransactionMarker(producerId, result == TransactionResult.COMMIT);
        }
    }

    /** Deleted topics take their committed offsets with them, in every group. */
    @Override
    public void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        Set<String> deleted = delta.deletedTopics().values().stream().map(TopicImage::name)
                .filter(name -> !name.equals(InternalTopics.CONSUMER_OFFSETS)).collect(Collectors.toSet());
        if (deleted.isEmpty()) {
            return;
        }
        for (CoordinatorShard shard : shards.values()) {
            shard.submit(() -> {
                shard.offsets().dropTopics(deleted);
                return CompletableFuture.completedFuture(Errors.NONE);
            }, error -> error);
        }
    }

    /** Where FindCoordinator sends a client, or why it cannot say. */
    public record Location(Errors error, int nodeId, String host, int port) {
        static Location failed(Errors error) {
            return new Location(error, -1, "", -1);
        }
    }

    /**
     * The broker coordinating a group, as reached on {@code listenerName}. Creates
     * {@code __consumer_offsets} first if it does not exist yet, as Kafka does on the first
     * FindCoordinator.
     */
    public CompletableFuture<Location> locate(String groupId, String listenerName) {
        return ensureOffsetsTopic().handle((created, failure) -> {
            if (failure != null) {
                return Location.failed(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            MetadataImage image = controller.image();
            int partition = partitionFor(groupId);
            Optional<Integer> leader = leaderOf(image, partition);
            Optional<BrokerRegistration> broker = leader.flatMap(image::broker);
            if (broker.isEmpty() || broker.get().endpoints().isEmpty()) {
                return Location.failed(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            if (leader.get() == nodeId && !shards.containsKey(partition)) {
                // Led here by the committed metadata, but this broker has not taken the partition
                // up yet (a new __consumer_offsets is answered before its logs exist): the client
                // asks again rather than being sent here to be told NOT_COORDINATOR.
                return Location.failed(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            BrokerEndpoint endpoint = Optional.ofNullable(listenerName).flatMap(broker.get()::endpoint)
                    .orElse(broker.get().endpoints().get(0));
            return new Location(Errors.NONE, broker.get().id(), endpoint.host(), endpoint.port());
        });
    }

    private static Optional<Integer> leaderOf(MetadataImage image, int partition) {
        return image.topic(InternalTopics.CONSUMER_OFFSETS)
                .flatMap(topic -> topic.partition(partition))
                .map(PartitionImage::leader)
                .filter(id -> id >= 0);
    }

    private CompletableFuture<Void> ensureOffsetsTopic() {
        if (controller.image().topic(InternalTopics.CONSUMER_OFFSETS).isPresent()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> inFlight = topicCreation.compareAndExchange(null, mine);
        if (inFlight != null) {
            return inFlight;
        }
        CreatableTopic topic = new CreatableTopic(InternalTopics.CONSUMER_OFFSETS,
                OptionalInt.of(config.offsetsTopicPartitions()), Optional.of(config.offsetsTopicReplicationFactor()),
                Map.of(), Map.of(LogConfig.CLEANUP_POLICY, LogConfig.CLEANUP_COMPACT));
        LOG.info("Creating {} with {} partitions", InternalTopics.CONSUMER_OFFSETS, config.offsetsTopicPartitions());
        controller.createTopics(List.of(topic), false).whenComplete((results, failure) -> {
            topicCreation.set(null);
            boolean exists = controller.image().topic(InternalTopics.CONSUMER_OFFSETS).isPresent();
            if (failure != null && !exists) {
                mine.completeExceptionally(failure);
            } else if (!exists && results.stream().anyMatch(r -> !r.error().isSuccess()
                    && r.error().error() != Errors.TOPIC_ALREADY_EXISTS)) {
                mine.completeExceptionally(results.get(0).error().error().exception(results.get(0).error()
                        .messageOrDefault()));
            } else {
                mine.complete(null);
            }
        });
        return mine;
    }

    /**
     * Runs an operation on the shard of {@code groupId}; {@code failure} builds the answer
     * when the shard is not here (NOT_COORDINATOR), still loading (COORDINATOR_LOAD_IN_PROGRESS,
     * also before this broker has taken up a partition the metadata has it lead), or failed.
     */
    public <R> CompletableFuture<R> onShard(String groupId, Function<CoordinatorShard, CompletableFuture<R>> operation,
                                            Function<Errors, R> failure) {
        int partition = partitionFor(groupId == null ? "" : groupId);
        CoordinatorShard shard = shards.get(partition);
        if (shard == null) {
            boolean ledHere = leaderOf(controller.image(), partition).filter(id -> id == nodeId).isPresent();
            return CompletableFuture.completedFuture(failure.apply(
                    ledHere ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NOT_COORDINATOR));
        }
        return shard.submit(() -> operation.apply(shard), failure);
    }

    /** The groups of every shard here; a shard still loading makes the whole answer an error. */
    public record Listing(Errors error, List<ListGroupsResponse.ListedGroup> groups) {
    }

    public CompletableFuture<Listing> listGroups() {
        List<CompletableFuture<Listing>> perShard = new ArrayList<>();
        for (CoordinatorShard shard : shards.values()) {
            perShard.add(shard.submit(() -> shard.listGroups().thenApply(groups -> new Listing(Errors.NONE, groups)),
                    error -> new Listing(error, List.of())));
        }
        return CompletableFuture.allOf(perShard.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ListGroupsResponse.ListedGroup> all = new ArrayList<>();
            Errors error = Errors.NONE;
            for (CompletableFuture<Listing> listing : perShard) {
                Listing result = listing.join();
                if (result.error() != Errors.NONE && result.error() != Errors.NOT_COORDINATOR) {
                    error = result.error();
                }
                all.addAll(result.groups());
            }
            return new Listing(error, all);
        });
    }

    @Override
    public void close() throws InterruptedException {
        // shutdown, not shutdownNow: interrupting a thread in the middle of an append would
        // close the log's file channel under it.
        for (ScheduledExecutorService thread : threads) {
            thread.shutdown();
        }
        for (ScheduledExecutorService thread : threads) {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
