package io.gregor.broker.coordinator;

import io.gregor.broker.partition.Partition;
import io.gregor.metadata.control.QuorumController;
import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The partitions of one coordinator's internal topic that this broker coordinates, with one
 * shard each: what the group coordinator and the transaction coordinator share, so that both
 * answer the same way where a key lives, what happens as leadership moves, and which error a
 * request gets when its shard is not here. The coordinators keep their own state in their shards.
 *
 * <ul>
 *   <li>A shard is created and starts replaying its partition when this broker becomes its
 *       leader, and is unloaded when it resigns (the coordinator passes its
 *       {@code LeadershipListener} calls on).
 *   <li>FindCoordinator creates the topic on first use and names the partition's leader.
 *   <li>A request for a key whose shard is not here answers NOT_COORDINATOR, or
 *       COORDINATOR_LOAD_IN_PROGRESS when the metadata has this broker lead the partition but it
 *       has not taken it up yet.
 * </ul>
 *
 * <p>Threads: shards are spread over a few single-threaded executors (shard {@code p} runs on
 * executor {@code p % threads}); each shard's state is touched only by its executor. The shard
 * map is concurrent: handlers look shards up from network threads, leadership changes arrive on
 * the metadata thread.
 *
 * @param <S> the coordinator's shard
 */
public final class CoordinatorPartitions<S extends CoordinatorPartitions.Shard> {

    /** What this class needs of a coordinator's shard. */
    public interface Shard {
        CoordinatorLog log();

        /** Starts replaying the partition; requests meanwhile get COORDINATOR_LOAD_IN_PROGRESS. */
        void startLoading();

        /** Forgets the shard's state: this broker no longer leads the partition. */
        void unload();

        /** Runs {@code operation} on the shard's thread; {@code failure} builds the answer when it cannot. */
        <R> CompletableFuture<R> submit(Supplier<CompletableFuture<R>> operation, Function<Errors, R> failure);
    }

    /** The items of every shard here and the error a shard gave, if any (see {@link #onEveryShard}). */
    public record Gathered<T>(Errors error, List<T> items) {
    }

    private final CoordinatorTopic topic;
    private final QuorumController controller;
    private final int nodeId;
    private final Logger log;
    private final String contents;
    private final BiFunction<Partition, ScheduledExecutorService, S> shardFactory;
    private final InternalTopicCreator creator;
    private final ScheduledExecutorService[] threads;
    private final Map<Integer, S> shards = new ConcurrentHashMap<>();

    /**
     * @param nodeId       this broker's id: a key whose partition the metadata has this broker lead,
     *                     but whose shard is not loaded yet, is loading here
     * @param log          the coordinator's logger, which the shared messages go to
     * @param contents     what a shard holds, for the log ("groups", "transactions")
     * @param threadName   the prefix of the executors' thread names
     * @param shardFactory makes the shard of a partition led here, to run on the executor given
     */
    public CoordinatorPartitions(CoordinatorTopic topic, QuorumController controller, int nodeId, Logger log,
                                 String contents, String threadName, int threadCount,
                                 BiFunction<Partition, ScheduledExecutorService, S> shardFactory) {
        this.topic = topic;
        this.controller = controller;
        this.nodeId = nodeId;
        this.log = log;
        this.contents = contents;
        this.shardFactory = shardFactory;
        this.creator = new InternalTopicCreator(topic, controller, log);
        this.threads = new ScheduledExecutorService[threadCount];
        for (int i = 0; i < threadCount; i++) {
            String name = threadName + i;
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
            });
            // At shutdown, pending timers (sessions, rebalances, transaction timeouts) are
            // dropped rather than waited for.
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            executor.setRemoveOnCancelPolicy(true);
            threads[i] = executor;
        }
    }

    /** The partition of the internal topic that holds {@code key}. */
    public int partitionFor(String key) {
        return topic.partitionFor(key);
    }

    /**
     * Takes up a partition of the internal topic this broker now leads (other topics are
     * ignored): its shard is made and loads. A shard already over the same partition object
     * stays; one over an older incarnation of the partition is unloaded and replaced.
     */
    public void onBecomeLeader(Partition partition) {
        TopicPartition tp = partition.topicPartition();
        if (!tp.topic().equals(topic.name())) {
            return;
        }
        S shard = shardFactory.apply(partition, threads[tp.partition() % threads.length]);
        S previous = shards.putIfAbsent(tp.partition(), shard);
        if (previous != null && previous.log() instanceof PartitionCoordinatorLog current && current.isOver(partition)) {
            return;
        }
        if (previous != null) {
            previous.unload();
            shards.put(tp.partition(), shard);
        }
        log.info("Loading the {} of {}", contents, tp);
        shard.startLoading();
    }

    /** Drops the shard of a partition this broker no longer leads (other topics are ignored). */
    public void onResignLeader(TopicPartition topicPartition) {
        if (!topicPartition.topic().equals(topic.name())) {
            return;
        }
        S shard = shards.remove(topicPartition.partition());
        if (shard != null) {
            log.info("Unloading the {} of {}", contents, topicPartition);
            shard.unload();
        }
    }

    /** The shard of {@code partition}, if this broker has taken it up. */
    public Optional<S> shard(int partition) {
        return Optional.ofNullable(shards.get(partition));
    }

    /** Every shard here (a live view). */
    public Collection<S> shards() {
        return shards.values();
    }

    /** The broker the committed metadata has lead {@code partition}, if any. */
    public Optional<Integer> leader(int partition) {
        return topic.leader(controller.image(), partition);
    }

    /**
     * The broker coordinating {@code key}, as reached on {@code listenerName}; creates the
     * internal topic first if it does not exist yet. See {@link CoordinatorLocation#of}.
     */
    public CompletableFuture<CoordinatorLocation> locate(String key, String listenerName) {
        return creator.ensureExists().handle((created, failure) -> {
            if (failure != null) {
                return CoordinatorLocation.failed(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            int partition = partitionFor(key);
            return CoordinatorLocation.of(controller.image(), topic, partition, nodeId, shards.containsKey(partition),
                    listenerName);
        });
    }

    /**
     * Runs an operation on the shard of {@code key}; {@code failure} builds the answer when the
     * shard is not here ({@link #missingShardError}), still loading, or failed.
     */
    public <R> CompletableFuture<R> onShard(String key, Function<S, CompletableFuture<R>> operation,
                                            Function<Errors, R> failure) {
        int partition = partitionFor(key);
        S shard = shards.get(partition);
        if (shard == null) {
            return CompletableFuture.completedFuture(failure.apply(missingShardError(leader(partition), nodeId)));
        }
        return shard.submit(() -> operation.apply(shard), failure);
    }

    /**
     * The error for a request whose shard is not here: COORDINATOR_LOAD_IN_PROGRESS when the
     * metadata has this broker lead the partition (it has not taken it up yet), so the client
     * waits and retries here; NOT_COORDINATOR otherwise, so it looks the coordinator up again.
     */
    static Errors missingShardError(Optional<Integer> leader, int nodeId) {
        return leader.filter(id -> id == nodeId).isPresent()
                ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NOT_COORDINATOR;
    }

    /** The items {@code listing} gives on every shard here; see {@link #merge} for the error. */
    public <T> CompletableFuture<Gathered<T>> onEveryShard(Function<S, CompletableFuture<List<T>>> listing) {
        List<CompletableFuture<Gathered<T>>> perShard = new ArrayList<>();
        for (S shard : shards.values()) {
            perShard.add(shard.submit(() -> listing.apply(shard).thenApply(items -> new Gathered<>(Errors.NONE, items)),
                    error -> new Gathered<>(error, List.of())));
        }
        return CompletableFuture.allOf(perShard.toArray(CompletableFuture[]::new))
                .thenApply(done -> merge(perShard.stream().map(CompletableFuture::join).toList()));
    }

    /**
     * All the shards' items; the error is the last one a shard gave (one still loading makes
     * the whole answer COORDINATOR_LOAD_IN_PROGRESS), except NOT_COORDINATOR: a shard unloaded
     * meanwhile just has nothing to list here.
     */
    static <T> Gathered<T> merge(List<Gathered<T>> perShard) {
        List<T> all = new ArrayList<>();
        Errors error = Errors.NONE;
        for (Gathered<T> result : perShard) {
            if (result.error() != Errors.NONE && result.error() != Errors.NOT_COORDINATOR) {
                error = result.error();
            }
            all.addAll(result.items());
        }
        return new Gathered<>(error, all);
    }

    /** Unloads every shard (requests waiting in one are answered NOT_COORDINATOR). */
    public void unloadAll() {
        shards.values().forEach(Shard::unload);
        shards.clear();
    }

    /** Stops the executors, letting queued tasks finish (up to 10 seconds each). */
    public void shutdown() throws InterruptedException {
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
