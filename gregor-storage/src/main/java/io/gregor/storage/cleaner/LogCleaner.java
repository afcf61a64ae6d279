package io.gregor.storage.cleaner;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.storage.log.LogSegment;
import io.gregor.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts logs with cleanup.policy compact (or compact,delete) in the background:
 * {@code log.cleaner.threads} daemon threads {@code gregor-log-cleaner-N}, each taking the due log
 * with the highest dirty ratio ({@link CleanableLog}), compacting it ({@link LogCompactor}) and
 * writing the new first dirty offset to the {@code cleaner-offset-checkpoint} of its log
 * directory ({@link CleanerCheckpoint}); idle threads look again every log.cleaner.backoff.ms.
 * Each thread's offset map takes of its share of log.cleaner.dedupe.buffer.size only what the
 * largest log it cleaned needed ({@link OffsetMap#reset}); all share one I/O throttle. A log whose cleaning fails (corrupt data, a disk
 * error) is logged and left alone until {@link #forget} or a restart; other logs go on.
 * <p>
 * Thread-safety: the selection state (logs being cleaned, checkpoints, delete horizons) is
 * guarded by one monitor; a log is cleaned by one thread at a time.
 */
public final class LogCleaner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    private final CleanerConfig config;
    private final List<Path> logDirs;
    private final Supplier<Collection<PartitionLog>> logs;
    private final Clock clock;
    private final Throttler throttler;
    private final Object monitor = new Object();
    private final Set<TopicPartition> inProgress = new HashSet<>();
    private final Set<TopicPartition> uncleanable = new HashSet<>();
    private final Map<Path, Map<TopicPartition, Long>> checkpoints = new HashMap<>();
    private final Map<TopicPartition, Long> nextDeleteHorizons = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /** @param logs the partition logs as they are now (called on every look for work) */
    public LogCleaner(CleanerConfig config, List<Path> logDirs, Supplier<Collection<PartitionLog>> logs, Clock clock) {
        this.config = config;
        this.logDirs = List.copyOf(logDirs);
        this.logs = logs;
        this.clock = clock;
        this.throttler = new Throttler(config.ioMaxBytesPerSecond());
    }

    /** Reads the checkpoints and starts the threads (none when log.cleaner.enable is false). */
    public void startup() {
        synchronized (monitor) {
            for (Path dir : logDirs) {
                try {
                    checkpoints.put(dir, CleanerCheckpoint.read(dir));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Cannot read the cleaner checkpoint of {}; its logs are cleaned from their start", dir, e);
                    checkpoints.put(dir, new HashMap<>());
                }
            }
        }
        if (!config.enabled()) {
            return;
        }
        running = true;
        for (int i = 1; i <= config.threads(); i++) {
            Thread thread = new Thread(this::run, "gregor-log-cleaner-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run() {
        LogCompactor compactor = null;
        while (running) {
            Optional<CleanableLog> job = grabFilthiestLog();
            if (job.isEmpty()) {
                synchronized (monitor) {
                    try {
                        if (running) {
                            monitor.wait(Math.max(1, config.backoffMs()));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            if (compactor == null) {
                compactor = new LogCompactor(new OffsetMap(config.bufferBytesPerThread()), throttler);
            }
            if (!clean(compactor, job.get())) {
                return;
            }
        }
    }

    /**
     * Cleans the dirtiest due log now, on the calling thread, if there is one (tests and tools;
     * the threads do the same). Returns whether a log was cleaned.
     */
    public boolean cleanFilthiestLog() {
        Optional<CleanableLog> job = grabFilthiestLog();
        if (job.isEmpty()) {
            return false;
        }
        clean(new LogCompactor(new OffsetMap(config.bufferBytesPerThread()), throttler), job.get());
        return true;
    }

    /** Returns false when interrupted (the cleaner is stopping). */
    private boolean clean(LogCompactor compactor, CleanableLog job) {
        PartitionLog log = job.log();
        TopicPartition tp = log.topicPartition();
        long startNanos = System.nanoTime();
        try {
            Optional<LogCompactor.Result> result = compactor.clean(log, job.firstDirtyOffset(),
                    job.firstUncleanableOffset(), clock.millis());
            if (result.isPresent()) {
                recordCleaning(log, result.get());
                LogCompactor.Result r = result.get();
                LOG.info("Cleaned {} up to offset {} (dirty ratio was {}): kept {} of {} records, read {} bytes, "
                                + "wrote {} bytes in {} ms", tp, r.firstDirtyOffset(),
                        String.format("%.2f", job.dirtyRatio()), r.recordsKept(), r.recordsRead(), r.bytesRead(),
                        r.bytesWritten(), (System.nanoTime() - startNanos) / 1_000_000);
            }
            return true;
        } catch (CleaningAbortedException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            if (log.isClosed() || log.isOffline()) {
                LOG.info("Cleaning of {} stopped: the log was closed or went offline", tp);
            } else {
                LOG.error("Cannot clean {}; it is left uncleaned until the broker restarts", tp, e);
                synchronized (monitor) {
                    uncleanable.add(tp);
                }
            }
            return true;
        } finally {
            synchronized (monitor) {
                inProgress.remove(tp);
            }
        }
    }

    private Optional<CleanableLog> grabFilthiestLog() {
        long now = clock.millis();
        synchronized (monitor) {
            List<CleanableLog> due = new ArrayList<>();
            for (PartitionLog log : logs.get()) {
                TopicPartition tp = log.topicPartition();
                if (!log.config().compactEnabled() || log.isOffline() || log.isClosed() || inProgress.contains(tp)
                        || uncleanable.contains(tp)) {
                    continue;
                }
                try {
                    Long horizon = nextDeleteHorizons.get(tp);
                    if (horizon == null) {
                        horizon = earliestDeleteHorizon(log);
                        nextDeleteHorizons.put(tp, horizon);
                    }
                    long checkpointed = dirCheckpoints(log).getOrDefault(tp, log.logStartOffset());
                    CleanableLog candidate = CleanableLog.of(log, checkpointed, horizon, now);
                    if (candidate.due()) {
                        due.add(candidate);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Cannot evaluate {} for cleaning", tp, e);
                }
            }
            Optional<CleanableLog> filthiest = due.stream()
                    .max(Comparator.comparingDouble(CleanableLog::dirtyRatio));
            filthiest.ifPresent(job -> inProgress.add(job.log().topicPartition()));
            return filthiest;
        }
    }

    /** The earliest delete horizon stamped on a batch of the log (once per log per process). */
    private static long earliestDeleteHorizon(PartitionLog log) throws IOException {
        long[] earliest = {Long.MAX_VALUE};
        List<LogSegment> segments = log.segments();
        for (LogSegment segment : segments.subList(0, segments.size() - 1)) {
            segment.visitHeaders((header, position) -> header.deleteHorizonMs()
                    .ifPresent(horizon -> earliest[0] = Math.min(earliest[0], horizon)));
        }
        return earliest[0];
    }

    private void recordCleaning(PartitionLog log, LogCompactor.Result result) throws IOException {
        TopicPartition tp = log.topicPartition();
        Path dir = log.dir().getParent();
        synchronized (monitor) {
            nextDeleteHorizons.put(tp, result.earliestDeleteHorizonMs());
            Map<TopicPartition, Long> offsets = dirCheckpoints(log);
            offsets.put(tp, result.firstDirtyOffset());
            Set<TopicPartition> present = new HashSet<>();
            for (PartitionLog each : logs.get()) {
                present.add(each.topicPartition());
            }
            offsets.keySet().retainAll(present);
            CleanerCheckpoint.write(dir, offsets);
        }
    }

    private Map<TopicPartition, Long> dirCheckpoints(PartitionLog log) {
        return checkpoints.computeIfAbsent(log.dir().getParent(), dir -> new HashMap<>());
    }

    /** The first dirty offset written down for {@code tp}, if it was ever cleaned. */
    public OptionalLong firstDirtyOffset(TopicPartition tp) {
        synchronized (monitor) {
            for (Map<TopicPartition, Long> offsets : checkpoints.values()) {
                Long offset = offsets.get(tp);
                if (offset != null) {
                    return OptionalLong.of(offset);
                }
            }
            return OptionalLong.empty();
        }
    }

    /** Drops what is known of a partition whose log was deleted (a new log of it starts afresh). */
    public void forget(TopicPartition tp) {
        synchronized (monitor) {
            uncleanable.remove(tp);
            nextDeleteHorizons.remove(tp);
            checkpoints.values().forEach(offsets -> offsets.remove(tp));
        }
    }

    /**
     * Stops the threads; a cleaning in progress is abandoned at its next chunk and its unfinished
     * segment removed. Threads are not interrupted (see {@link Throttler}).
     */
    public void shutdown() {
        running = false;
        throttler.stop();
        synchronized (monitor) {
            monitor.notifyAll();
        }
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    @Override
    public void close() {
        shutdown();
    }
}
