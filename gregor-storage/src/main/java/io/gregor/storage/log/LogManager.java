package io.gregor.storage.log;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.storage.cleaner.LogCleaner;
import io.gregor.storage.recovery.CleanShutdownMarker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the log directories and the partition logs in them. {@link #startup} loads every log in
 * parallel (bounded: {@code num.recovery.threads.per.data.dir} per directory), recovering the
 * tails of logs in directories without a clean-shutdown marker, then starts the background
 * scheduler (daemon threads {@code gregor-log-scheduler-N}) that applies retention every
 * {@code log.retention.check.interval.ms}, fsyncs logs due by flush.messages / flush.ms,
 * expires idle producer ids every {@code producer.id.expiration.check.interval.ms}, and
 * removes deleted segments after file.delete.delay.ms, and starts the {@link LogCleaner} that
 * compacts logs with cleanup.policy compact. {@link #shutdown} stops the cleaner, flushes and
 * closes every log and writes the marker. An I/O error takes the whole directory offline: its logs answer
 * {@link KafkaStorageException} (KAFKA_STORAGE_ERROR), the process and other directories go on.
 * <p>
 * Thread-safety: all public methods are safe to call from any thread; logs live in a concurrent
 * map, log creation and deletion are serialized on this object.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    private static final String DELETE_SUFFIX = "-delete";
    /**
     * Threads making a new topic's logs: the work is mostly the file system's inode allocation,
     * which serializes within a directory, so more threads than cores only take CPU from the
     * network threads (on 2 cores, 8 threads took as long as 2 and slowed Metadata answers).
     */
    private static final int CREATE_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());
    /** Threads closing logs at shutdown; they wait for fsyncs, not for a CPU. */
    private static final int CLOSE_THREADS = 8;
    /** The cluster metadata log lives beside the partition logs but is not one of them. */
    private static final String METADATA_LOG_DIR = "__cluster_metadata-0";

    private final LogManagerConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final LogEnvironment env;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Set<Path> offlineDirs = ConcurrentHashMap.newKeySet();
    private final LogCleaner cleaner;
    /** The topic defaults from the broker's configuration, static and dynamic. */
    private volatile Map<String, Object> topicDefaults;

    public LogManager(LogManagerConfig config, Clock clock) {
        this.config = config;
        this.topicDefaults = config.topicDefaults();
        this.clock = clock;
        this.scheduler = Executors.newScheduledThreadPool(2, daemonThreads("gregor-log-scheduler-"));
        this.env = new LogEnvironment(clock, this::scheduleDeletion, this::onDirFailure, scheduler);
        this.cleaner = new LogCleaner(config.cleaner(), config.logDirs(), this::allLogs, clock);
    }

    /** The effective config of a topic with these overrides over the broker defaults. */
    public LogConfig logConfig(Map<String, ?> topicOverrides) {
        return LogConfig.create(topicDefaults, topicOverrides);
    }

    /**
     * Replaces the broker-level topic defaults (dynamic broker configs changed); the caller then
     * gives the logs of topics without their own setting their new config.
     *
     * @return whether they differ from those in force
     */
    public boolean setTopicDefaults(Map<String, ?> defaults) {
        Map<String, Object> copy = Map.<String, Object>copyOf(defaults);
        if (copy.equals(topicDefaults)) {
            return false;
        }
        topicDefaults = copy;
        return true;
    }

    /** Loads all logs with the broker-default config; see {@link #startup(Function)}. */
    public void startup() {
        LogConfig defaults = logConfig(Map.of());
        startup(topic -> defaults);
    }

    /**
     * Loads every partition log found in the log directories, each with {@code configForTopic}'s
     * config, then starts the background tasks. A directory that cannot be read goes offline.
     */
    public void startup(Function<String, LogConfig> configForTopic) {
        int threads = config.recoveryThreads() * config.logDirs().size();
        ExecutorService loaders = Executors.newFixedThreadPool(threads, daemonThreads("gregor-log-loader-"));
        try {
            List<Future<?>> loads = new ArrayList<>();
            for (Path dir : config.logDirs()) {
                loads.addAll(loadDir(dir, configForTopic, loaders));
            }
            for (Future<?> load : loads) {
                awaitLoad(load);
            }
        } finally {
            loaders.shutdownNow();
        }
        scheduler.scheduleWithFixedDelay(guarded("retention", this::applyRetention),
                config.retentionCheckIntervalMs(), config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guarded("flush", this::flushDueLogs),
                config.flushCheckIntervalMs(), config.flushCheckIntervalMs(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guarded("producer id expiration", this::expireProducerIds),
                config.producerIdExpirationCheckIntervalMs(), config.producerIdExpirationCheckIntervalMs(),
                TimeUnit.MILLISECONDS);
        cleaner.startup();
        LOG.info("Loaded {} partition log(s) from {}", logs.size(), config.logDirs());
    }

    private List<Future<?>> loadDir(Path dir, Function<String, LogConfig> configForTopic, ExecutorService loaders) {
        List<Future<?>> loads = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            boolean clean = CleanShutdownMarker.consume(dir);
            List<Path> children;
            try (Stream<Path> list = Files.list(dir)) {
                children = list.toList();
            }
            for (Path child : children) {
                if (child.getFileName().toString().endsWith(DELETE_SUFFIX)) {
                    deleteTree(child);
                } else if (PartitionLog.isPartitionDir().test(child)
                        && !child.getFileName().toString().equals(METADATA_LOG_DIR)) {
                    loads.add(loaders.submit(() -> {
                        TopicPartition tp = PartitionLog.parseDirName(child.getFileName().toString()).orElseThrow();
                        try {
                            logs.put(tp, PartitionLog.open(child, configForTopic.apply(tp.topic()), env, clean));
                        } catch (IOException e) {
                            onDirFailure(dir, e);
                        }
                        return null;
                    }));
                }
            }
        } catch (IOException e) {
            onDirFailure(dir, e);
        }
        return loads;
    }

    private void awaitLoad(Future<?> load) {
        try {
            load.get();
        } catch (ExecutionException e) {
            LOG.error("Cannot load a partition log", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while loading logs", e);
        }
    }

    public Optional<PartitionLog> getLog(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    /**
     * The log of {@code tp} running with {@code logConfig}: a log loaded at startup (with the
     * broker defaults, before topic configs were known) takes the topic's config now; a missing
     * one is created empty in the online log directory holding the fewest logs.
     *
     * @throws KafkaStorageException when no log directory is online or the directory fails
     */
    public synchronized PartitionLog getOrCreateLog(TopicPartition tp, LogConfig logConfig) {
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            existing.updateConfig(logConfig);
            return existing;
        }
        List<Path> online = config.logDirs().stream().filter(d -> !offlineDirs.contains(d)).toList();
        if (online.isEmpty()) {
            throw new KafkaStorageException("No log directory is online");
        }
        // counting the logs of each directory walks every log: not for the usual single directory
        Path dir = online.size() == 1 ? online.get(0)
                : Collections.min(online, Comparator.comparingLong(this::logCount));
        try {
            PartitionLog log = PartitionLog.openNew(dir.resolve(PartitionLog.dirName(tp)), logConfig, env);
            logs.put(tp, log);
            return log;
        } catch (IOException e) {
            onDirFailure(dir, e);
            throw new KafkaStorageException("Cannot create the log of " + tp + " in " + dir, e);
        }
    }

    /**
     * Creates the missing logs among {@code wanted} at once, on up to {@link #CREATE_THREADS}
     * threads: a new topic's partitions are independent, and making their directories and files
     * one after another was what a 1,000-partition topic's creation waited for (each mkdir or
     * file creation took about 0.3 ms on the test machine's ext4, less when two run at once). A
     * log that cannot be created here is left out; {@link #getOrCreateLog} then tries again and
     * reports the failure.
     */
    public void createLogs(Map<TopicPartition, LogConfig> wanted) {
        Map<TopicPartition, Path> dirs = new LinkedHashMap<>();
        synchronized (this) {
            List<Path> online = config.logDirs().stream().filter(d -> !offlineDirs.contains(d)).toList();
            if (online.isEmpty()) {
                return;
            }
            Map<Path, Long> counts = new HashMap<>();
            online.forEach(d -> counts.put(d, online.size() == 1 ? 0 : logCount(d)));
            wanted.keySet().stream().filter(tp -> !logs.containsKey(tp)).forEach(tp -> {
                Path dir = Collections.min(online, Comparator.comparingLong(counts::get));
                counts.merge(dir, 1L, Long::sum);
                dirs.put(tp, dir.resolve(PartitionLog.dirName(tp)));
            });
        }
        if (dirs.isEmpty()) {
            return;
        }
        ExecutorService creators = Executors.newFixedThreadPool(Math.min(CREATE_THREADS, dirs.size()),
                daemonThreads("gregor-log-creator-"));
        try {
            List<Future<?>> creations = new ArrayList<>();
            dirs.forEach((tp, dir) -> creations.add(creators.submit(() -> createAhead(tp, dir, wanted.get(tp)))));
            for (Future<?> creation : creations) {
                creation.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Unexpected failure creating logs", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            creators.shutdownNow();
        }
    }

    private void createAhead(TopicPartition tp, Path dir, LogConfig logConfig) {
        try {
            PartitionLog log = PartitionLog.openNew(dir, logConfig, env);
            if (logs.putIfAbsent(tp, log) != null) {
                log.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not create the log of {} ahead; it is created on its own", tp, e);
        }
    }

    private long logCount(Path dir) {
        return logs.values().stream().filter(log -> log.dir().getParent().equals(dir)).count();
    }

    /** Removes a partition's log and its files (topic deletion). */
    public synchronized void deleteLog(TopicPartition tp) {
        PartitionLog log = logs.remove(tp);
        if (log == null) {
            return;
        }
        cleaner.forget(tp);
        try {
            Path renamed = log.dir().resolveSibling(log.dir().getFileName() + DELETE_SUFFIX);
            log.close();
            Files.move(log.dir(), renamed);
            deleteTree(renamed);
        } catch (IOException e) {
            onDirFailure(log.dir().getParent(), e);
            throw new KafkaStorageException("Cannot delete the log of " + tp, e);
        }
    }

    public Collection<PartitionLog> allLogs() {
        return List.copyOf(logs.values());
    }

    public List<Path> logDirs() {
        return config.logDirs();
    }

    /** The log cleaner (tests and tools may run a cleaning pass with it). */
    public LogCleaner cleaner() {
        return cleaner;
    }

    public boolean isOffline(Path logDir) {
        return offlineDirs.contains(logDir);
    }

    /** Logs in {@code logDir} (DescribeLogDirs). */
    public List<PartitionLog> logsIn(Path logDir) {
        return logs.values().stream().filter(log -> log.dir().getParent().equals(logDir)).toList();
    }

    /** One retention pass over every online log (also run by the scheduler). */
    public void applyRetention() {
        for (PartitionLog log : logs.values()) {
            if (!log.isOffline()) {
                guarded("retention of " + log.topicPartition(), () -> log.deleteRetainedSegments()).run();
            }
        }
    }

    /** One pass expiring idle producer ids, producer.id.expiration.ms (also run by the scheduler). */
    public void expireProducerIds() {
        for (PartitionLog log : logs.values()) {
            if (!log.isOffline()) {
                guarded("producer id expiration of " + log.topicPartition(),
                        () -> log.expireProducers(config.producerIdExpirationMs())).run();
            }
        }
    }

    /** One pass of the flush policy (also run by the scheduler). */
    public void flushDueLogs() {
        long now = clock.millis();
        for (PartitionLog log : logs.values()) {
            if (!log.isOffline() && log.flushDue(now)) {
                guarded("flush of " + log.topicPartition(), log::flush).run();
            }
        }
    }

    private void scheduleDeletion(LogSegment segment, long delayMs) {
        Runnable delete = guarded("deletion of " + segment.logFile(), () -> {
            try {
                segment.deleteFiles();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (delayMs == 0) {
            delete.run();
        } else {
            scheduler.schedule(delete, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void onDirFailure(Path dir, Exception cause) {
        if (offlineDirs.add(dir)) {
            LOG.error("Log directory {} is offline after an I/O error; its partitions answer KAFKA_STORAGE_ERROR",
                    dir, cause);
        }
        for (PartitionLog log : logs.values()) {
            if (log.dir().getParent().equals(dir)) {
                log.markOffline();
            }
        }
    }

    /**
     * Stops the background tasks, flushes and closes every log, and marks the clean directories.
     * The logs of a directory close in parallel, on {@link #CLOSE_THREADS} threads: closing one
     * is several fsyncs (segment, indexes, checkpoints, producer snapshot), so a broker leading
     * 1,000 partitions took 4.2 s to stop with one thread, its time spent waiting for the disk.
     */
    public void shutdown() {
        cleaner.shutdown();
        scheduler.shutdownNow();
        ExecutorService closers = Executors.newFixedThreadPool(CLOSE_THREADS, daemonThreads("gregor-log-closer-"));
        try {
            for (Path dir : config.logDirs()) {
                if (offlineDirs.contains(dir)) {
                    continue;
                }
                List<Future<Boolean>> closes = new ArrayList<>();
                for (PartitionLog log : logsIn(dir)) {
                    closes.add(closers.submit(() -> closeLog(log)));
                }
                boolean allClosed = true;
                for (Future<Boolean> close : closes) {
                    allClosed &= awaitClose(close);
                }
                if (allClosed) {
                    try {
                        CleanShutdownMarker.write(dir);
                    } catch (IOException e) {
                        LOG.error("Cannot write the clean shutdown marker in {}", dir, e);
                    }
                }
            }
        } finally {
            closers.shutdownNow();
        }
        logs.clear();
    }

    private static boolean closeLog(PartitionLog log) {
        try {
            log.close();
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot close the log of {}", log.topicPartition(), e);
            return false;
        }
    }

    /** Whether a close succeeded; an interrupted shutdown counts as a failed one (no clean marker). */
    private static boolean awaitClose(Future<Boolean> close) {
        try {
            return close.get();
        } catch (ExecutionException e) {
            LOG.error("Unexpected failure closing a log", e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    /** Runs a background task so that a failure is logged and never cancels the schedule. */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Background {} failed", what, e);
            }
        };
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
