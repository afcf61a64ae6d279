package io.gregor.storage.log;

import io.gregor.protocol.api.TopicPartition;
import io.gregor.protocol.record.MemoryRecords;
import io.gregor.protocol.record.RecordBatch;
import io.gregor.protocol.record.TimestampType;
import io.gregor.storage.epoch.EpochEndOffset;
import io.gregor.storage.epoch.EpochEntry;
import io.gregor.storage.epoch.LeaderEpochCache;
import io.gregor.storage.producer.BatchMetadata;
import io.gregor.storage.producer.PendingProducerBatches;
import io.gregor.storage.producer.ProducerStateEntry;
import io.gregor.storage.producer.ProducerStateManager;
import io.gregor.storage.recovery.CheckpointFile;
import io.gregor.storage.retention.RetentionPolicy;
import io.gregor.storage.retention.SegmentSummary;
import io.gregor.storage.txn.AbortedTxn;
import io.gregor.storage.txn.TxnMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: a directory {@code <topic>-<partition>} of {@link LogSegment}s, the
 * last one active, plus {@code leader-epoch-checkpoint} ({@link LeaderEpochCache}) and
 * {@code log-start-offset-checkpoint} (the log start offset as decimal text) and
 * {@code recovery-point-checkpoint} (the offset below which everything is fsynced: rolled
 * segments are fsynced in the background right after the roll, the active one by the flush
 * policy or at close), {@code high-watermark-checkpoint} (the HW, written periodically and at
 * close), and {@code <offset>.snapshot} files of the idempotent-producer state
 * ({@link ProducerStateManager}), taken when a segment rolls and at close. Each segment's
 * {@code .txnindex} lists the transactions aborted in it; it is cut back to the producer snapshot
 * a rebuild starts from and refilled by the replay, so it never disagrees with the log.
 * <p>
 * Offsets: {@code logStartOffset} (first readable), {@code logEndOffset} (LEO, next to assign)
 * and {@code highWatermark} (what consumers may read) are kept apart. The HW starts at its
 * checkpoint (at the LEO when there is none) when the log is opened and is then moved only by the
 * caller ({@link #updateHighWatermark}):
 * on a single node the broker sets it to the LEO after each append; replication sets it to what
 * the ISR has. The last stable offset (LSO, what read_committed consumers may read) is the lower
 * of the HW and the first offset of the oldest unstable transaction; it is recomputed under the
 * lock whenever either moves and published in a volatile field.
 * <p>
 * Thread-safety: every mutation (append, roll, truncation, deletion, close) holds this log's
 * lock. Reads take no lock: they work on the immutable segment list snapshot in a volatile field
 * and the volatile offsets, and only touch bytes below a segment's published size. fsync runs
 * outside the lock so a flush never stalls producers. Deleted segments stay readable until
 * file.delete.delay.ms has passed. Truncation ({@link #truncateTo}) cuts the active tail in place:
 * a concurrent read of the removed range may fail, so callers stop serving a partition's
 * removed offsets (as on a leader change) before truncating.
 */
public final class PartitionLog implements AutoCloseable {
    public static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";
    public static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-checkpoint";
    public static final String HIGH_WATERMARK_CHECKPOINT = "high-watermark-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition topicPartition;
    private final Path dir;
    private final LogEnvironment env;
    private final LeaderEpochCache epochCache;
    /** Under the lock. */
    private final ProducerStateManager producerState;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile LogConfig config;
    private volatile List<LogSegment> segments;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile long lastStableOffset;
    private volatile boolean offline;
    private volatile boolean closed;
    /** Every offset below this is fsynced; recovery after a crash starts from its segment. */
    private volatile long recoveryPoint;
    /** The high watermark last written to {@link #HIGH_WATERMARK_CHECKPOINT}. */
    private volatile long checkpointedHighWatermark;
    // Flush bookkeeping, under the lock.
    private long unflushedRecords;
    private long lastFlushMs;
    private boolean flushQueued;

    private PartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, LogEnvironment env,
                         LeaderEpochCache epochCache, ProducerStateManager producerState, List<LogSegment> segments,
                         long logStartOffset, long recoveryPoint, long checkpointedHighWatermark) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.env = env;
        this.epochCache = epochCache;
        this.producerState = producerState;
        this.segments = List.copyOf(segments);
        this.logEndOffset = segments.get(segments.size() - 1).nextOffset();
        this.logStartOffset = logStartOffset;
        this.highWatermark = Math.max(logStartOffset, Math.min(checkpointedHighWatermark, logEndOffset));
        this.checkpointedHighWatermark = highWatermark;
        producerState.onHighWatermark(highWatermark);
        this.lastStableOffset = Math.min(producerState.firstUnstableOffset(), highWatermark);
        this.recoveryPoint = Math.min(recoveryPoint, logEndOffset);
        this.lastFlushMs = env.clock().millis();
    }

    /** The directory name of a partition's log. */
    public static String dirName(TopicPartition tp) {
        return tp.topic() + "-" + tp.partition();
    }

    /** Parses {@code <topic>-<partition>}; topics may contain '-', the partition is after the last one. */
    public static Optional<TopicPartition> parseDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens (or creates) the log in {@code dir}. After a clean shutdown the indexes are trusted
     * (only the tail after the last index entry is walked, for the log end offset). Without one,
     * every segment from the recovery point on is recovered: scanned batch by batch with CRC
     * checks, a torn or corrupt tail cut off, indexes rebuilt, and the HW starts at the new LEO.
     * Producer state comes from the newest snapshot at or below the recovery point (the LEO after a
     * clean shutdown) plus the batch headers after it.
     */
    public static PartitionLog open(Path dir, LogConfig config, LogEnvironment env, boolean cleanShutdown)
            throws IOException {
        TopicPartition tp = parseDirName(dir.getFileName().toString())
                .orElseThrow(() -> new IOException("Not a partition directory: " + dir));
        if (Files.notExists(dir)) {
            return create(tp, dir, config, env);
        }
        long nowMs = env.clock().millis();
        List<Long> baseOffsets = new ArrayList<>();
        List<Long> swapped = new ArrayList<>();
        List<Path> swapIndexes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")
                        || name.endsWith(LogSegment.CLEANED_SUFFIX)) {
                    Files.deleteIfExists(file); // left over from before a restart (or an unfinished cleaning)
                } else if (name.endsWith(LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX)) {
                    swapped.add(LogSegment.parseBaseOffset(name));
                } else if (name.endsWith(LogSegment.SWAP_SUFFIX)) {
                    swapIndexes.add(file);
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    baseOffsets.add(LogSegment.parseBaseOffset(name));
                }
            }
        }
        for (Path index : swapIndexes) {
            if (!swapped.contains(LogSegment.parseBaseOffset(index.getFileName().toString()))) {
                Files.deleteIfExists(index); // its log file was still .cleaned: that cleaning was dropped
            }
        }
        for (long swapBase : swapped) {
            completeSwap(tp, dir, swapBase, baseOffsets, config, nowMs);
        }
        baseOffsets.sort(Comparator.naturalOrder());
        long checkpointedStart = readCheckpoint(dir.resolve(LOG_START_OFFSET_CHECKPOINT));
        List<LogSegment> segments = new ArrayList<>();
        for (int i = 0; i < baseOffsets.size(); i++) {
            boolean active = i == baseOffsets.size() - 1;
            segments.add(LogSegment.open(dir, baseOffsets.get(i), active ? config.segmentIndexBytes() : 0,
                    config.indexIntervalBytes(), nowMs));
        }
        if (segments.isEmpty()) {
            segments.add(LogSegment.open(dir, checkpointedStart, config.segmentIndexBytes(),
                    config.indexIntervalBytes(), nowMs));
        }
        long recoveryPoint = readCheckpoint(dir.resolve(RECOVERY_POINT_CHECKPOINT));
        if (!cleanShutdown) {
            recover(tp, segments, recoveryPoint, config);
        }
        long logStart = Math.max(checkpointedStart, segments.get(0).baseOffset());
        LeaderEpochCache epochs = LeaderEpochCache.load(dir);
        long logEnd = segments.get(segments.size() - 1).nextOffset();
        if (epochs.isEmpty() && logEnd > logStart) {
            // A crash before a new log's first leader epoch was written (it is written with the
            // log's first flush, LeaderEpochCache#assignFirstDeferred): the batches carry their epochs.
            rebuildEpochs(epochs, segments);
        }
        ProducerStateManager producers = new ProducerStateManager(tp, dir);
        rebuildProducerState(producers, segments, cleanShutdown ? logEnd : Math.min(recoveryPoint, logEnd), logEnd);
        // A log from before high watermark checkpoints (or from a single node, where the HW follows the
        // LEO) starts with its HW at its end, as it always did.
        long highWatermark = CheckpointFile.read(dir.resolve(HIGH_WATERMARK_CHECKPOINT))
                .map(text -> Long.parseLong(text.trim())).orElse(Long.MAX_VALUE);
        PartitionLog log = new PartitionLog(tp, dir, config, env, epochs, producers, segments, logStart,
                cleanShutdown ? Long.MAX_VALUE : recoveryPoint, highWatermark);
        epochs.truncateFromEnd(log.logEndOffset);
        epochs.truncateFromStart(logStart);
        return log;
    }

    /**
     * The log of a partition new on this broker: its directory is made and, in it, only the first
     * segment's {@code .log} file; nothing is looked for, since nothing can be there. A directory
     * already there (a log the caller did not know of) is opened as {@link #open} opens it.
     */
    public static PartitionLog openNew(Path dir, LogConfig config, LogEnvironment env) throws IOException {
        TopicPartition tp = parseDirName(dir.getFileName().toString())
                .orElseThrow(() -> new IOException("Not a partition directory: " + dir));
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            return open(dir, config, env, true);
        }
        return createInNewDirectory(tp, dir, config, env);
    }

    /** A new, empty log in {@code dir}, made with its parents: there is nothing in it to look for. */
    private static PartitionLog create(TopicPartition tp, Path dir, LogConfig config, LogEnvironment env)
            throws IOException {
        Files.createDirectories(dir);
        return createInNewDirectory(tp, dir, config, env);
    }

    private static PartitionLog createInNewDirectory(TopicPartition tp, Path dir, LogConfig config,
                                                     LogEnvironment env) throws IOException {
        LogSegment segment = LogSegment.createInNewDirectory(dir, 0, config.segmentIndexBytes(),
                config.indexIntervalBytes(), env.clock().millis());
        return new PartitionLog(tp, dir, config, env, LeaderEpochCache.empty(dir), new ProducerStateManager(tp, dir),
                new ArrayList<>(List.of(segment)), 0, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    private static void rebuildEpochs(LeaderEpochCache epochs, List<LogSegment> segments) throws IOException {
        for (LogSegment segment : segments) {
            segment.scanBatches((batch, position) -> {
                if (batch.partitionLeaderEpoch() >= 0) {
                    epochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                }
            });
        }
    }

    /**
     * Finishes a log cleaner swap interrupted by a crash. A {@code .swap} segment is a whole,
     * fsynced replacement for the segments whose base offsets fall in its offset range: those are
     * deleted (some may already be) and the swap segment takes its final name. Replaced segments
     * wholly after the swap's last record are left: the cleaner found nothing in them worth
     * keeping, so keeping them loses nothing and the next cleaning removes their records again.
     */
    private static void completeSwap(TopicPartition tp, Path dir, long swapBase, List<Long> baseOffsets,
                                     LogConfig config, long nowMs) throws IOException {
        LogSegment swap = LogSegment.openForRecovery(dir, swapBase, LogSegment.SWAP_SUFFIX,
                config.segmentIndexBytes(), config.indexIntervalBytes(), nowMs);
        long end = swap.nextOffset();
        for (Long base : List.copyOf(baseOffsets)) {
            if (base >= swapBase && (base < end || base == swapBase)) {
                String prefix = LogSegment.filenamePrefix(base);
                Files.deleteIfExists(dir.resolve(prefix + LogSegment.LOG_SUFFIX));
                Files.deleteIfExists(dir.resolve(prefix + LogSegment.INDEX_SUFFIX));
                Files.deleteIfExists(dir.resolve(prefix + LogSegment.TIME_INDEX_SUFFIX));
                baseOffsets.remove(base);
            }
        }
        String prefix = LogSegment.filenamePrefix(swapBase);
        Files.deleteIfExists(dir.resolve(prefix + LogSegment.INDEX_SUFFIX));
        Files.deleteIfExists(dir.resolve(prefix + LogSegment.TIME_INDEX_SUFFIX));
        swap.changeFileSuffixes(LogSegment.SWAP_SUFFIX, "");
        swap.close();
        baseOffsets.add(swapBase);
        LOG.info("Completed the swap of a cleaned segment of {} at offset {} left by a crash", tp, swapBase);
    }

    /**
     * Loads the newest snapshot at or below {@code trustedOffset} (its data is known to be whole on
     * disk) and replays the producer batches from there to the log end. The transaction indexes
     * lose their entries from the snapshot on, which the replay writes again.
     */
    private static void rebuildProducerState(ProducerStateManager producers, List<LogSegment> segments,
                                             long trustedOffset, long logEnd) throws IOException {
        long from = producers.loadSnapshot(trustedOffset, logEnd);
        for (LogSegment segment : segments) {
            segment.txnIndex().truncateTo(from);
        }
        if (from >= logEnd) {
            return;
        }
        for (int i = floorSegment(segments, from); i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            segment.scanBatches((batch, position) -> {
                if (batch.baseOffset() >= from) {
                    producers.replay(batch).ifPresent(aborted -> appendAborted(segment, aborted));
                }
            });
        }
    }

    private static void appendAborted(LogSegment segment, AbortedTxn aborted) {
        try {
            segment.txnIndex().append(aborted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long readCheckpoint(Path file) throws IOException {
        return CheckpointFile.read(file).map(text -> Long.parseLong(text.trim())).orElse(0L);
    }

    /**
     * Scans every segment from the one holding {@code recoveryPoint} to the end, rebuilding their
     * indexes; at the first torn or corrupt batch the segment is cut there and any later segment
     * is deleted, since a log has no holes.
     */
    private static void recover(TopicPartition tp, List<LogSegment> segments, long recoveryPoint, LogConfig config)
            throws IOException {
        int first = floorSegment(segments, recoveryPoint);
        LOG.info("Recovering {} from offset {} (segment {}) after an unclean shutdown", tp, recoveryPoint,
                segments.get(first).baseOffset());
        for (int i = first; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            boolean active = i == segments.size() - 1;
            if (!active) {
                segment.resizeIndexes(config.segmentIndexBytes());
            }
            int cut = segment.recover();
            if (!active) {
                segment.onBecomeInactive();
            }
            if (cut > 0) {
                LOG.warn("Truncated {} bytes of torn or corrupt data at the end of {}", cut, segment.logFile());
                List<LogSegment> later = new ArrayList<>(segments.subList(i + 1, segments.size()));
                segments.subList(i + 1, segments.size()).clear();
                for (LogSegment dropped : later) {
                    LOG.warn("Deleting {}: it follows a truncated segment", dropped.logFile());
                    dropped.markDeleted();
                    dropped.deleteFiles();
                }
                if (!later.isEmpty()) {
                    segment.resizeIndexes(config.segmentIndexBytes()); // active again
                }
                return;
            }
        }
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies changed topic configs to future appends, rolls and retention checks. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Sets the HW, clamped to [logStartOffset, logEndOffset]; the LSO follows. */
    public void updateHighWatermark(long offset) {
        lock.lock();
        try {
            highWatermark = Math.max(logStartOffset, Math.min(offset, logEndOffset));
            updateLastStableOffset();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The last stable offset: read_committed consumers read below it. Equal to the HW when no
     * transaction is open.
     */
    public long lastStableOffset() {
        return lastStableOffset;
    }

    /** Under the lock, after the HW, the LEO or the transactions changed. */
    private void updateLastStableOffset() {
        producerState.onHighWatermark(highWatermark);
        lastStableOffset = Math.min(producerState.firstUnstableOffset(), highWatermark);
    }

    /**
     * The aborted transactions that overlap [{@code fetchOffset}, {@code upperBound}): what a
     * read_committed consumer reading that range needs to skip aborted batches. Lock-free.
     */
    public List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBound) {
        List<LogSegment> snapshot = segments;
        List<AbortedTxn> found = new ArrayList<>();
        // An entry sits in the segment of its marker, which is at or after the transaction's data.
        for (int i = floorSegment(snapshot, fetchOffset); i < snapshot.size(); i++) {
            snapshot.get(i).txnIndex().collectOverlapping(fetchOffset, upperBound, found);
        }
        return found;
    }

    public boolean isOffline() {
        return offline;
    }

    /** Bytes on disk in all segments (DescribeLogDirs). */
    public long sizeInBytes() {
        return segments.stream().mapToLong(LogSegment::sizeInBytes).sum();
    }

    public int segmentCount() {
        return segments.size();
    }

    /**
     * Whether a read from {@code offset} starts in the active segment: the one being written, whose
     * pages are the ones most recently in the page cache.
     */
    public boolean isInActiveSegment(long offset) {
        List<LogSegment> snapshot = segments;
        return offset >= snapshot.get(snapshot.size() - 1).baseOffset();
    }

    /** The segment list as it is now; an immutable snapshot. */
    public List<LogSegment> segments() {
        return segments;
    }

    public LeaderEpochCache leaderEpochCache() {
        return epochCache;
    }

    /**
     * Appends batches. Each batch is checked (framing, magic 2, CRC32C, size, timestamps) before
     * the lock is taken; under the lock a leader append ({@link AppendContext#assignsOffsets()})
     * patches each batch's baseOffset and partitionLeaderEpoch in place (and the max timestamp
     * under LogAppendTime) and writes the bytes as they are to the active segment, rolling it first
     * if needed. No record is opened or copied, except the one record of a transaction marker, and
     * a client's batches when the topic's compression.type asks for another codec
     * ({@link TopicCompression}). A
     * client batch with a producer id is first checked against the producer state
     * ({@link ProducerStateManager#check}): a retried duplicate is not written and is answered
     * with its original offsets ({@link LogAppendInfo#duplicate()}). A marker is checked by
     * {@link ProducerStateManager#checkMarker}; an ABORT marker that ends a transaction adds it to
     * the active segment's transaction index.
     *
     * @throws LogException subclass naming the wire error when the batches are refused or the disk fails
     */
    public LogAppendInfo append(MemoryRecords records, AppendContext context) {
        LogConfig cfg = config;
        long nowMs = env.clock().millis();
        int recordCount = BatchValidator.validate(records.buffer(), cfg, context.origin(), nowMs);
        ByteBuffer buffer = context.origin() == AppendContext.Origin.CLIENT && cfg.storedCompression().isPresent()
                ? TopicCompression.recompress(records.buffer(), cfg.storedCompression().get(), cfg.maxMessageBytes())
                : records.buffer();
        lock.lock();
        try {
            ensureOnline();
            long firstOffset;
            long lastOffset;
            long appendTime = cfg.logAppendTime() ? nowMs : RecordBatch.NO_TIMESTAMP;
            RecordBatch batch = RecordBatch.at(buffer, buffer.position());
            PendingProducerBatches producerBatches = new PendingProducerBatches();
            if (context.assignsOffsets()) {
                firstOffset = logEndOffset;
                long next = firstOffset;
                for (int p = buffer.position(); p < buffer.limit(); p += batch.sizeInBytes()) {
                    batch.wrap(buffer, p);
                    boolean tracked = ProducerStateManager.tracked(batch);
                    Optional<TxnMarker> marker = batch.isControlBatch() && batch.hasProducerId()
                            ? TxnMarker.of(batch) : Optional.empty();
                    if (tracked && context.origin() == AppendContext.Origin.CLIENT) {
                        Optional<BatchMetadata> duplicate = producerState.check(batch, producerBatches);
                        if (duplicate.isPresent()) {
                            return duplicateOf(duplicate.get(), cfg);
                        }
                    } else if (tracked) {
                        producerState.checkEpoch(batch.producerId(), batch.producerEpoch());
                    } else if (marker.isPresent()) {
                        producerState.checkMarker(batch.producerId(), batch.producerEpoch(),
                                marker.get().coordinatorEpoch());
                    }
                    batch.setBaseOffset(next);
                    batch.setPartitionLeaderEpoch(context.leaderEpoch());
                    if (cfg.logAppendTime()) {
                        batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
                    }
                    collectProducerChange(batch, marker, producerBatches);
                    next = batch.nextOffset();
                }
                lastOffset = next - 1;
            } else {
                firstOffset = batch.baseOffset();
                if (firstOffset < logEndOffset) {
                    throw new InvalidRecordException("Replicated batch at offset " + firstOffset
                            + " is below the log end offset " + logEndOffset + " of " + topicPartition);
                }
                for (int p = buffer.position(); p < buffer.limit(); p += batch.sizeInBytes()) {
                    batch.wrap(buffer, p);
                    Optional<TxnMarker> marker = batch.isControlBatch() && batch.hasProducerId()
                            ? TxnMarker.of(batch) : Optional.empty();
                    collectProducerChange(batch, marker, producerBatches);
                }
                lastOffset = batch.lastOffset();
            }
            LogSegment active = maybeRoll(buffer.remaining(), firstOffset, lastOffset, cfg, nowMs);
            active.append(buffer);
            for (AbortedTxn aborted : producerState.apply(producerBatches)) {
                active.txnIndex().append(aborted);
            }
            recordEpochs(buffer, firstOffset, context);
            logEndOffset = lastOffset + 1;
            updateLastStableOffset();
            unflushedRecords += recordCount;
            if (unflushedRecords >= cfg.flushMessages() && !flushQueued) {
                // flush.messages reached: fsync soon on the background flusher, never on this thread.
                flushQueued = true;
                env.backgroundFlusher().execute(this::flushQuietly);
            }
            return new LogAppendInfo(firstOffset, lastOffset, appendTime, logStartOffset, recordCount, false);
        } catch (IOException | UncheckedIOException e) {
            throw failed("append to", e);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: what a batch, its offsets assigned, will change in the producer state. */
    private static void collectProducerChange(RecordBatch batch, Optional<TxnMarker> marker,
                                              PendingProducerBatches producerBatches) {
        if (ProducerStateManager.tracked(batch)) {
            producerBatches.add(batch.producerId(), batch.producerEpoch(), ProducerStateManager.metadataOf(batch),
                    batch.isTransactional());
        } else if (marker.isPresent()) {
            producerBatches.addMarker(batch.producerId(), batch.producerEpoch(), marker.get().coordinatorEpoch(),
                    marker.get().aborted(), batch.baseOffset(), batch.maxTimestamp());
        }
    }

    /** A retried batch already in the log: nothing is written and the producer gets the original offsets. */
    private LogAppendInfo duplicateOf(BatchMetadata original, LogConfig cfg) {
        long appendTime = cfg.logAppendTime() ? original.timestamp() : RecordBatch.NO_TIMESTAMP;
        return new LogAppendInfo(original.firstOffset(), original.lastOffset(), appendTime, logStartOffset, 0, true);
    }

    private void recordEpochs(ByteBuffer buffer, long firstOffset, AppendContext context) {
        if (context.assignsOffsets()) {
            epochCache.assignFirstDeferred(context.leaderEpoch(), firstOffset);
            return;
        }
        for (RecordBatch batch : RecordBatch.batches(buffer)) {
            epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
        }
    }

    /** Under the lock: the segment the next {@code bytes} go to, after rolling if the active one is done. */
    private LogSegment maybeRoll(int bytes, long nextOffset, long lastOffset, LogConfig cfg, long nowMs)
            throws IOException {
        LogSegment active = segments.get(segments.size() - 1);
        if (!active.shouldRoll(bytes, lastOffset, cfg.segmentBytes(), cfg.segmentMs(), nowMs)) {
            return active;
        }
        LogSegment rolled = LogSegment.open(dir, nextOffset, cfg.segmentIndexBytes(), cfg.indexIntervalBytes(), nowMs);
        producerState.takeSnapshot(nextOffset, false); // the state after every batch below the new segment
        active.onBecomeInactive();
        List<LogSegment> next = new ArrayList<>(segments);
        next.add(rolled);
        segments = List.copyOf(next);
        LOG.debug("Rolled {} to a new segment at offset {}", topicPartition, nextOffset);
        env.backgroundFlusher().execute(() -> flushRolled(nextOffset));
        return rolled;
    }

    /**
     * Whole batches from the one holding {@code fetchOffset}, at most {@code maxBytes} (but the first
     * batch even if larger when {@code minOneBatch}), none holding offsets at or above
     * {@code maxOffsetExclusive} (the HW for consumers, the LEO for followers). Lock-free.
     *
     * @throws OffsetOutOfRangeException when fetchOffset is outside [logStartOffset, logEndOffset]
     */
    public FetchDataInfo read(long fetchOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        try {
            return readOnce(fetchOffset, maxBytes, maxOffsetExclusive, minOneBatch);
        } catch (ClosedChannelException e) {
            // A segment of our snapshot was deleted (retention, DeleteRecords, truncation) while we
            // read it: read again from the current segment list, which may now say out of range.
            try {
                return readOnce(fetchOffset, maxBytes, maxOffsetExclusive, minOneBatch);
            } catch (IOException retryFailure) {
                throw failed("read from", retryFailure);
            }
        } catch (IOException e) {
            throw failed("read from", e);
        }
    }

    private FetchDataInfo readOnce(long fetchOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch)
            throws IOException {
        // The LEO first: every offset below it is in the segment list read after it.
        long end = logEndOffset;
        long hw = highWatermark;
        long start = logStartOffset;
        List<LogSegment> snapshot = segments;
        ensureOnline();
        if (fetchOffset < start || fetchOffset > end) {
            throw new OffsetOutOfRangeException("Offset " + fetchOffset + " is out of range [" + start + ", " + end
                    + "] for " + topicPartition);
        }
        long bound = Math.min(maxOffsetExclusive, end);
        for (int i = floorSegment(snapshot, fetchOffset); fetchOffset < bound && i < snapshot.size(); i++) {
            Optional<FileRecords> found = snapshot.get(i).read(fetchOffset, maxBytes, bound, minOneBatch);
            if (found.isPresent()) {
                return new FetchDataInfo(fetchOffset, found.get(), hw, start, end);
            }
        }
        return new FetchDataInfo(fetchOffset, MemoryRecords.EMPTY, hw, start, end);
    }

    private static int floorSegment(List<LogSegment> snapshot, long offset) {
        int lo = 0;
        int hi = snapshot.size() - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (snapshot.get(mid).baseOffset() <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * ListOffsets by timestamp: the first record at or after {@code timestamp} at or above the log
     * start offset; exact per record for uncompressed CreateTime batches, the batch's first offset
     * otherwise. Empty when every record is older.
     */
    public Optional<TimestampAndOffset> fetchOffsetByTimestamp(long timestamp) {
        List<LogSegment> snapshot = segments;
        long start = logStartOffset;
        try {
            for (LogSegment segment : snapshot) {
                if (segment.maxTimestamp().filter(max -> max >= timestamp).isPresent()) {
                    Optional<TimestampAndOffset> found = segment.findByTimestamp(timestamp, start);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            throw failed("search", e);
        }
    }

    /** ListOffsets MAX_TIMESTAMP (-3): the record carrying the largest timestamp, empty if none has one. */
    public Optional<TimestampAndOffset> offsetOfMaxTimestamp() {
        List<LogSegment> snapshot = segments;
        Optional<LogSegment> newest = snapshot.stream()
                .filter(s -> s.maxTimestamp().isPresent())
                .max(Comparator.comparingLong(s -> s.maxTimestamp().get()));
        try {
            if (newest.isPresent()) {
                return newest.get().findByTimestamp(newest.get().maxTimestamp().get(), logStartOffset);
            }
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            throw failed("search", e);
        }
    }

    /** The leader epoch under which {@code offset} was written, if known (ListOffsets leaderEpoch). */
    public Optional<Integer> leaderEpochFor(long offset) {
        Optional<Integer> epoch = Optional.empty();
        for (EpochEntry entry : epochCache.entries()) {
            if (entry.startOffset() <= offset) {
                epoch = Optional.of(entry.epoch());
            }
        }
        return epoch;
    }

    /** OffsetForLeaderEpoch. */
    public EpochEndOffset endOffsetForEpoch(int leaderEpoch) {
        return epochCache.endOffsetFor(leaderEpoch, logEndOffset);
    }

    /**
     * DeleteRecords: moves the log start offset up to {@code offset} (persisted) and deletes the
     * segments that lie wholly below it. Returns the new log start offset (the low watermark).
     *
     * @throws OffsetOutOfRangeException when offset is above the high watermark
     */
    public long deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            ensureOnline();
            if (offset > highWatermark) {
                throw new OffsetOutOfRangeException("Cannot delete records before " + offset + " above the high watermark "
                        + highWatermark + " of " + topicPartition);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                writeLogStartOffset();
                epochCache.truncateFromStart(offset);
                deleteLeadingSegments(segmentsBelow(offset));
            }
            return logStartOffset;
        } catch (IOException | UncheckedIOException e) {
            throw failed("delete records of", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The log cleaner's swap: replaces {@code replaced} (consecutive inactive segments) by
     * {@code replacement}, a finished and fsynced segment written under the {@code .cleaned}
     * suffix with the first replaced segment's base offset, or by nothing when no record was worth
     * keeping. Crash-safe order: the replacement is renamed {@code .swap}, the replaced segments
     * are marked deleted, the replacement takes its final name (load completes an interrupted swap,
     * see {@link #completeSwap}). Readers of the old segments finish as for any deleted segment.
     * Returns false, changing nothing, when the replaced segments are no longer all in the log
     * (retention, truncation or DeleteRecords got there first).
     */
    public boolean replaceSegments(List<LogSegment> replaced, Optional<LogSegment> replacement) {
        lock.lock();
        try {
            ensureOnline();
            List<LogSegment> current = segments;
            int first = current.indexOf(replaced.get(0));
            if (first < 0 || first + replaced.size() > current.size() - 1
                    || !current.subList(first, first + replaced.size()).equals(replaced)) {
                return false;
            }
            if (replacement.isPresent()) {
                replacement.get().changeFileSuffixes(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
            }
            LogConfig cfg = config;
            for (LogSegment old : replaced) {
                old.markDeleted();
                env.segmentDeleter().delete(old, cfg.fileDeleteDelayMs());
            }
            if (replacement.isPresent()) {
                replacement.get().changeFileSuffixes(LogSegment.SWAP_SUFFIX, "");
            }
            List<LogSegment> next = new ArrayList<>(current.subList(0, first));
            replacement.ifPresent(next::add);
            next.addAll(current.subList(first + replaced.size(), current.size()));
            segments = List.copyOf(next);
            return true;
        } catch (IOException | UncheckedIOException e) {
            throw failed("swap cleaned segments into", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The last offset of each known producer's last batch: the log cleaner keeps those batches
     * (emptied if need be) so the producer's sequence state survives a rebuild from the log.
     */
    public Map<Long, Long> lastBatchOffsetByProducer() {
        lock.lock();
        try {
            return producerState.lastBatchOffsets();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the log was closed or deleted (the cleaner then drops its work). */
    public boolean isClosed() {
        return closed;
    }

    /** Leading segments whose every offset is below {@code offset}; never the active segment. */
    private int segmentsBelow(long offset) {
        List<LogSegment> snapshot = segments;
        int count = 0;
        while (count < snapshot.size() - 1 && snapshot.get(count + 1).baseOffset() <= offset) {
            count++;
        }
        return count;
    }

    /**
     * Retention: deletes the oldest segments past retention.ms or beyond retention.bytes (see
     * {@link RetentionPolicy}), if cleanup.policy includes delete. Returns how many were deleted.
     */
    public int deleteRetainedSegments() {
        LogConfig cfg = config;
        if (!cfg.deleteEnabled()) {
            return 0;
        }
        lock.lock();
        try {
            ensureOnline();
            List<SegmentSummary> summaries = new ArrayList<>();
            for (LogSegment segment : segments) {
                summaries.add(new SegmentSummary(segment.baseOffset(), segment.nextOffset(), segment.sizeInBytes(),
                        segment.largestTimestampOrModified()));
            }
            int count = RetentionPolicy.deletableSegments(summaries, cfg.retentionMs(), cfg.retentionBytes(),
                    env.clock().millis(), highWatermark);
            if (count > 0) {
                deleteLeadingSegments(count);
                long newStart = segments.get(0).baseOffset();
                if (newStart > logStartOffset) {
                    logStartOffset = newStart;
                    writeLogStartOffset();
                    epochCache.truncateFromStart(newStart);
                }
                LOG.info("Retention deleted {} segment(s) of {}; log start offset is now {}", count, topicPartition,
                        logStartOffset);
            }
            return count;
        } catch (IOException | UncheckedIOException e) {
            throw failed("apply retention to", e);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: removes the first {@code count} segments from the list, then their files. */
    private void deleteLeadingSegments(int count) throws IOException {
        if (count == 0) {
            return;
        }
        List<LogSegment> snapshot = segments;
        segments = List.copyOf(snapshot.subList(count, snapshot.size()));
        for (LogSegment segment : snapshot.subList(0, count)) {
            segment.markDeleted();
            env.segmentDeleter().delete(segment, config.fileDeleteDelayMs());
        }
    }

    /**
     * Removes every batch holding an offset >= {@code offset} (a follower's divergent tail, or a
     * leader demoted). The LEO becomes the end of the last whole batch kept; the HW follows it down.
     */
    public void truncateTo(long offset) {
        lock.lock();
        try {
            ensureOnline();
            if (offset >= logEndOffset) {
                return;
            }
            LogConfig cfg = config;
            if (offset < logStartOffset) {
                truncateFullyAndStartAt(offset, cfg);
            } else {
                List<LogSegment> snapshot = segments;
                int keep = floorSegment(snapshot, offset) + 1;
                if (keep > 1 && snapshot.get(keep - 1).baseOffset() == offset) {
                    keep--; // that segment starts exactly at the cut: drop it whole
                }
                List<LogSegment> kept = List.copyOf(snapshot.subList(0, keep));
                segments = kept;
                for (LogSegment dropped : snapshot.subList(keep, snapshot.size())) {
                    dropped.markDeleted();
                    env.segmentDeleter().delete(dropped, cfg.fileDeleteDelayMs());
                }
                LogSegment last = kept.get(kept.size() - 1);
                if (keep < snapshot.size()) {
                    last.resizeIndexes(cfg.segmentIndexBytes()); // it is the active segment again
                }
                last.truncateTo(offset);
                logEndOffset = last.nextOffset();
                rebuildProducerState(producerState, kept, logEndOffset, logEndOffset);
            }
            highWatermark = Math.min(highWatermark, logEndOffset);
            updateLastStableOffset();
            recoveryPoint = Math.min(recoveryPoint, logEndOffset);
            epochCache.truncateFromEnd(logEndOffset);
        } catch (IOException | UncheckedIOException e) {
            throw failed("truncate", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops every segment and starts the log empty at {@code offset}: a follower whose leader's
     * log now starts past this log's end (retention or DeleteRecords on the leader).
     */
    public void truncateFullyAndStartAt(long offset) {
        lock.lock();
        try {
            ensureOnline();
            truncateFullyAndStartAt(offset, config);
            highWatermark = offset;
            updateLastStableOffset();
            recoveryPoint = offset;
            epochCache.truncateFromEnd(0);
        } catch (IOException | UncheckedIOException e) {
            throw failed("truncate", e);
        } finally {
            lock.unlock();
        }
    }

    private void truncateFullyAndStartAt(long offset, LogConfig cfg) throws IOException {
        List<LogSegment> snapshot = segments;
        for (LogSegment segment : snapshot) {
            segment.markDeleted();
            env.segmentDeleter().delete(segment, cfg.fileDeleteDelayMs());
        }
        segments = List.of(LogSegment.open(dir, offset, cfg.segmentIndexBytes(), cfg.indexIntervalBytes(),
                env.clock().millis()));
        logStartOffset = offset;
        logEndOffset = offset;
        writeLogStartOffset();
        producerState.clear();
        producerState.deleteAllSnapshots();
    }

    /** Whether flush.messages or flush.ms says the log is due for an fsync. */
    public boolean flushDue(long nowMs) {
        LogConfig cfg = config;
        lock.lock();
        try {
            return unflushedRecords > 0
                    && (unflushedRecords >= cfg.flushMessages() || nowMs - lastFlushMs >= cfg.flushMs());
        } finally {
            lock.unlock();
        }
    }

    /** fsyncs every segment's data and indexes. Runs outside the append lock (call from a background thread). */
    public void flush() {
        long flushedAt = env.clock().millis();
        long records;
        lock.lock();
        try {
            records = unflushedRecords;
        } finally {
            lock.unlock();
        }
        flushUpTo(logEndOffset);
        lock.lock();
        try {
            unflushedRecords -= records;
            lastFlushMs = flushedAt;
            flushQueued = false;
        } finally {
            lock.unlock();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (LogException e) {
            LOG.debug("Background flush of {} failed", topicPartition, e);
        }
    }

    /** The background fsync of a segment just rolled; a failure is reported by {@link #failed}, not rethrown. */
    private void flushRolled(long upToOffset) {
        try {
            flushUpTo(upToOffset);
        } catch (LogException e) {
            LOG.debug("Background flush of {} failed", topicPartition, e);
        }
    }

    /** fsyncs the segments holding offsets below {@code offset} not yet synced, then moves the recovery point. */
    private void flushUpTo(long offset) {
        if (offset <= recoveryPoint || offline || closed) {
            return;
        }
        try {
            for (LogSegment segment : segments) {
                if (segment.baseOffset() < offset && segment.nextOffset() > recoveryPoint) {
                    segment.flush();
                }
            }
            // The recovery point passes no batch whose leader epoch is only in memory.
            epochCache.writePending();
            lock.lock();
            try {
                if (offset > recoveryPoint && !offline && !closed) {
                    recoveryPoint = offset;
                    CheckpointFile.write(dir.resolve(RECOVERY_POINT_CHECKPOINT), Long.toString(offset));
                }
            } finally {
                lock.unlock();
            }
        } catch (ClosedChannelException e) {
            LOG.debug("Segment of {} deleted while being flushed", topicPartition);
        } catch (IOException | UncheckedIOException e) {
            throw failed("flush", e);
        }
    }

    /**
     * Forgets the producers whose last batch is older than {@code expirationMs}
     * (producer.id.expiration.ms); a later batch of theirs is accepted as from a new producer.
     * Returns how many were forgotten.
     */
    public int expireProducers(long expirationMs) {
        lock.lock();
        try {
            return producerState.expire(env.clock().millis(), expirationMs);
        } finally {
            lock.unlock();
        }
    }

    /** A copy of what this partition knows of a producer id (tests, DescribeProducers). */
    public Optional<ProducerStateEntry> producerState(long producerId) {
        lock.lock();
        try {
            return producerState.entry(producerId).map(ProducerStateEntry::copy);
        } finally {
            lock.unlock();
        }
    }

    /** Copies of what this partition knows of every producer (DescribeProducers). */
    public List<ProducerStateEntry> producerStates() {
        lock.lock();
        try {
            return producerState.entries();
        } finally {
            lock.unlock();
        }
    }

    /** Offsets below this are known to be on disk. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    private void writeLogStartOffset() throws IOException {
        CheckpointFile.write(dir.resolve(LOG_START_OFFSET_CHECKPOINT), Long.toString(logStartOffset));
    }

    /**
     * Writes the high watermark to {@link #HIGH_WATERMARK_CHECKPOINT} when it moved since the last
     * time, so that a replica restarting after a crash does not take its whole log for committed:
     * with replication the HW can be far below the log end. Called periodically and at close.
     */
    public void checkpointHighWatermark() {
        long hw = highWatermark;
        if (hw == checkpointedHighWatermark || closed || offline) {
            return;
        }
        try {
            CheckpointFile.write(dir.resolve(HIGH_WATERMARK_CHECKPOINT), Long.toString(hw));
            checkpointedHighWatermark = hw;
        } catch (IOException e) {
            LOG.warn("Cannot checkpoint the high watermark of {}: {}", topicPartition, e.toString());
        }
    }

    /** Flushes and closes every segment, trimming the indexes, so the next open may trust them. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (offline || closed) {
                return;
            }
            for (LogSegment segment : segments) {
                segment.flush();
                segment.close();
            }
            epochCache.close();
            writeLogStartOffset();
            producerState.takeSnapshot(logEndOffset, true);
            recoveryPoint = logEndOffset;
            CheckpointFile.write(dir.resolve(RECOVERY_POINT_CHECKPOINT), Long.toString(recoveryPoint));
            CheckpointFile.write(dir.resolve(HIGH_WATERMARK_CHECKPOINT), Long.toString(highWatermark));
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the files and removes the log's directory (topic deletion). */
    public void delete() throws IOException {
        lock.lock();
        try {
            for (LogSegment segment : segments) {
                segment.close();
            }
            epochCache.discard();
            closed = true;
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Marks the log offline without touching its files (its log directory failed). */
    void markOffline() {
        offline = true;
    }

    private void ensureOnline() {
        if (offline) {
            throw new KafkaStorageException("Log of " + topicPartition + " in " + dir + " is offline");
        }
        if (closed) {
            throw new KafkaStorageException("Log of " + topicPartition + " in " + dir + " is closed");
        }
    }

    private KafkaStorageException failed(String action, Exception cause) {
        offline = true;
        LOG.error("I/O error trying to {} the log of {} in {}; taking it offline", action, topicPartition, dir, cause);
        env.failureListener().onFailure(dir.getParent(), cause);
        return new KafkaStorageException("Cannot " + action + " the log of " + topicPartition + ": " + cause.getMessage(),
                cause);
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", hw=" + highWatermark + ", leo="
                + logEndOffset + ")";
    }

    static Predicate<Path> isPartitionDir() {
        return path -> Files.isDirectory(path) && parseDirName(path.getFileName().toString()).isPresent();
    }
}
