package io.gregor.storage.log;

import io.gregor.protocol.record.RecordBatch;
import io.gregor.protocol.record.TimestampType;
import io.gregor.storage.index.IndexEntry;
import io.gregor.storage.index.OffsetIndex;
import io.gregor.storage.index.TimeIndex;
import io.gregor.storage.index.TimeIndexEntry;
import io.gregor.storage.recovery.BatchScanner;
import io.gregor.storage.txn.TransactionIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One segment of a partition log: the batches from {@code baseOffset} on, in three files named
 * by the base offset zero-padded to 20 digits: {@code .log} (batches exactly as appended),
 * {@code .index} ({@link OffsetIndex}) and {@code .timeindex} ({@link TimeIndex}), plus
 * {@code .txnindex} ({@link TransactionIndex}, the transactions aborted in this segment; written
 * by the owning log, which knows the producers' transactions) once there is one. A batch is
 * indexed whenever more than {@code index.interval.bytes} were appended since the last entry.
 * <p>
 * Thread-safety: appends, truncation, recovery, roll and close run under the owning
 * {@link PartitionLog}'s lock. Reads run concurrently without locks: they only look at bytes
 * below the volatile {@link #sizeInBytes()}, which is published after the data and index entries.
 */
public final class LogSegment implements AutoCloseable {
    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String DELETED_SUFFIX = ".deleted";
    /** A replacement the log cleaner is still writing: discarded at load. */
    public static final String CLEANED_SUFFIX = ".cleaned";
    /** A finished replacement being swapped in: completed at load. */
    public static final String SWAP_SUFFIX = ".swap";
    /** The width of the zero-padded base offset that names a segment's files. */
    private static final int FILE_NAME_DIGITS = 20;

    private final long baseOffset;
    private Path logFile;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private final long createdMs;
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestamp;
    private int bytesSinceLastIndexEntry;

    /** @param inNewDirectory the directory was just made: no index file can exist, none is looked for */
    private LogSegment(Path dir, long baseOffset, String fileSuffix, int maxIndexSize, int indexIntervalBytes,
                       long createdMs, boolean inNewDirectory) throws IOException {
        this.baseOffset = baseOffset;
        String prefix = filenamePrefix(baseOffset);
        this.logFile = dir.resolve(prefix + LOG_SUFFIX + fileSuffix);
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Path offsetIndexFile = dir.resolve(prefix + INDEX_SUFFIX + fileSuffix);
        Path timeIndexFile = dir.resolve(prefix + TIME_INDEX_SUFFIX + fileSuffix);
        Path txnIndexFile = dir.resolve(prefix + TransactionIndex.SUFFIX + fileSuffix);
        if (inNewDirectory) {
            this.offsetIndex = OffsetIndex.withoutFile(offsetIndexFile, baseOffset, maxIndexSize);
            this.timeIndex = TimeIndex.withoutFile(timeIndexFile, baseOffset, maxIndexSize);
            this.txnIndex = TransactionIndex.withoutFile(txnIndexFile);
        } else {
            this.offsetIndex = new OffsetIndex(offsetIndexFile, baseOffset, maxIndexSize);
            this.timeIndex = new TimeIndex(timeIndexFile, baseOffset, maxIndexSize);
            this.txnIndex = TransactionIndex.open(txnIndexFile);
        }
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.size = (int) channel.size();
        this.nextOffset = baseOffset;
        this.offsetOfMaxTimestamp = baseOffset;
    }

    /** Creates an empty segment, or opens one whose indexes are trusted (clean shutdown). */
    public static LogSegment open(Path dir, long baseOffset, int maxIndexSize, int indexIntervalBytes, long nowMs)
            throws IOException {
        Path log = dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX);
        long created = Files.exists(log) ? Math.min(nowMs, Files.getLastModifiedTime(log).toMillis()) : nowMs;
        LogSegment segment = new LogSegment(dir, baseOffset, "", maxIndexSize, indexIntervalBytes, created, false);
        segment.loadTail();
        return segment;
    }

    /**
     * The first segment of a log whose directory was just made: its {@code .log} file is the only
     * file created, and nothing is looked for (each lookup of a missing file costs an exception
     * on JDK 17, and a new partition used to make six).
     */
    public static LogSegment createInNewDirectory(Path dir, long baseOffset, int maxIndexSize, int indexIntervalBytes,
                                                  long nowMs) throws IOException {
        return new LogSegment(dir, baseOffset, "", maxIndexSize, indexIntervalBytes, nowMs, true);
    }

    /**
     * Creates an empty segment whose three files carry {@code fileSuffix} after their usual names
     * ({@code .log.cleaned}...): the log cleaner writes a replacement there, invisible to log
     * loading, before {@link #changeFileSuffixes} swaps it in.
     */
    public static LogSegment create(Path dir, long baseOffset, String fileSuffix, int maxIndexSize,
                                    int indexIntervalBytes, long nowMs) throws IOException {
        Path log = dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX + fileSuffix);
        Files.deleteIfExists(log);
        Files.deleteIfExists(dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX + fileSuffix));
        Files.deleteIfExists(dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX + fileSuffix));
        Files.deleteIfExists(dir.resolve(filenamePrefix(baseOffset) + TransactionIndex.SUFFIX + fileSuffix));
        return new LogSegment(dir, baseOffset, fileSuffix, maxIndexSize, indexIntervalBytes, nowMs, false);
    }

    /**
     * Opens a segment left with {@code fileSuffix} by a crash and rebuilds its indexes from the
     * log file (a {@code .swap} segment found at load).
     */
    public static LogSegment openForRecovery(Path dir, long baseOffset, String fileSuffix, int maxIndexSize,
                                             int indexIntervalBytes, long nowMs) throws IOException {
        LogSegment segment = new LogSegment(dir, baseOffset, fileSuffix, maxIndexSize, indexIntervalBytes, nowMs,
                false);
        segment.recover();
        return segment;
    }

    /**
     * Renames the three files from names ending in {@code oldSuffix} to names ending in
     * {@code newSuffix}; the index and time index first and the log last, so a log file with the
     * new suffix means all three were renamed. The open channel and mappings stay valid.
     */
    public void changeFileSuffixes(String oldSuffix, String newSuffix) throws IOException {
        offsetIndex.renameTo(withSuffix(offsetIndex.file(), oldSuffix, newSuffix));
        timeIndex.renameTo(withSuffix(timeIndex.file(), oldSuffix, newSuffix));
        txnIndex.renameTo(withSuffix(txnIndex.file(), oldSuffix, newSuffix));
        Path renamed = withSuffix(logFile, oldSuffix, newSuffix);
        Files.move(logFile, renamed, StandardCopyOption.ATOMIC_MOVE);
        logFile = renamed;
    }

    private static Path withSuffix(Path file, String oldSuffix, String newSuffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(oldSuffix)) {
            throw new IllegalStateException(file + " does not end with " + oldSuffix);
        }
        return file.resolveSibling(name.substring(0, name.length() - oldSuffix.length()) + newSuffix);
    }

    /**
     * Appends batches whose offsets are already assigned, as they are, to a segment nobody else
     * sees yet (the log cleaner's replacement segment); see {@link #append}.
     */
    public void appendToUnpublished(ByteBuffer batches) throws IOException {
        append(batches);
    }

    /** The max timestamp of the first batch, if the segment has one (max.compaction.lag.ms). */
    public Optional<Long> firstBatchTimestamp() throws IOException {
        if (size < RecordBatch.HEADER_SIZE) {
            return Optional.empty();
        }
        long timestamp = new HeaderCursor().at(0).maxTimestamp();
        return timestamp == RecordBatch.NO_TIMESTAMP ? Optional.empty() : Optional.of(timestamp);
    }

    public static String filenamePrefix(long offset) {
        // not String.format: it parsed the pattern on every call, a fifth of creating a new log
        String digits = Long.toString(offset);
        return "0".repeat(Math.max(0, FILE_NAME_DIGITS - digits.length())) + digits;
    }

    /** The base offset encoded in a segment file name such as {@code 00000000000000000042.log}. */
    public static long parseBaseOffset(String fileName) {
        return Long.parseLong(fileName.substring(0, fileName.indexOf('.')));
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** One past the last offset in this segment ({@code baseOffset} when empty). */
    public long nextOffset() {
        return nextOffset;
    }

    public int sizeInBytes() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long createdMs() {
        return createdMs;
    }

    public Path logFile() {
        return logFile;
    }

    /** The transactions aborted in this segment. */
    public TransactionIndex txnIndex() {
        return txnIndex;
    }

    /** The largest batch max timestamp in the segment, if any batch carried one. */
    public Optional<Long> maxTimestamp() {
        long max = maxTimestamp;
        return max == RecordBatch.NO_TIMESTAMP ? Optional.empty() : Optional.of(max);
    }

    /** The largest timestamp, or the file's modification time when no batch carried one (retention). */
    public long largestTimestampOrModified() throws IOException {
        return maxTimestamp().orElse(Files.getLastModifiedTime(logFile).toMillis());
    }

    /**
     * Whether appending {@code bytes} more, ending at {@code lastOffset}, must go to a new segment:
     * full by size, too old, an index full (the time index keeps one slot for the final entry
     * written at roll), or an offset too far from the base for the indexes' 32-bit relative offsets.
     */
    public boolean shouldRoll(int bytes, long lastOffset, int segmentBytes, long segmentMs, long nowMs) {
        if (isEmpty()) {
            return false;
        }
        return size > segmentBytes - bytes
                || nowMs - createdMs > segmentMs
                || offsetIndex.isFull()
                || timeIndex.remainingSlots() <= 1
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /**
     * Appends batches whose offsets are already assigned, as they are. {@code batches} spans
     * position..limit and is not moved.
     */
    void append(ByteBuffer batches) throws IOException {
        int start = batches.position();
        int end = batches.limit();
        ByteBuffer data = batches.duplicate();
        long at = size;
        while (data.hasRemaining()) {
            at += channel.write(data, at);
        }
        int physical = size;
        long next = nextOffset;
        RecordBatch batch = RecordBatch.at(batches, start);
        for (int p = start; p < end; p += batch.sizeInBytes()) {
            batch.wrap(batches, p);
            indexBatch(batch, physical + (p - start));
            next = batch.nextOffset();
        }
        nextOffset = next;
        size = physical + (end - start);
    }

    private void indexBatch(RecordBatch batch, int filePosition) {
        if (batch.maxTimestamp() > maxTimestamp) {
            maxTimestamp = batch.maxTimestamp();
            offsetOfMaxTimestamp = batch.baseOffset();
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(batch.baseOffset(), filePosition);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /**
     * Finds the first batch holding an offset >= {@code offset} and returns whole batches from it:
     * at most {@code maxBytes} (but the first batch even if larger when {@code minOneBatch}),
     * stopping before any batch that reaches {@code maxOffsetExclusive}. Empty when no such batch.
     */
    public Optional<FileRecords> read(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch)
            throws IOException {
        int limit = size;
        HeaderCursor headers = new HeaderCursor();
        Optional<Integer> startPosition = positionOfBatchContaining(offset, limit, headers);
        if (startPosition.isEmpty()) {
            return Optional.empty();
        }
        int start = startPosition.get();
        // The batches up to the last indexed one that starts within both limits are whole and
        // below maxOffsetExclusive without reading their headers (a consumer's fetch read some
        // 16 of them per partition, one pread each); only the rest are walked.
        int position = Math.max(start,
                offsetIndex.lastEntryWithin(maxOffsetExclusive, Math.min((long) start + maxBytes, limit)).position());
        while (position < limit) {
            RecordBatch header = headers.at(position);
            int batchSize = header.sizeInBytes();
            boolean first = position == start;
            if (header.lastOffset() >= maxOffsetExclusive) {
                break;
            }
            if ((long) position - start + batchSize > maxBytes && !(first && minOneBatch)) {
                break;
            }
            position += batchSize;
        }
        return position == start ? Optional.empty() : Optional.of(new FileRecords(channel, start, position - start));
    }

    /** File position of the first batch whose last offset is >= {@code offset}. */
    private Optional<Integer> positionOfBatchContaining(long offset, int limit, HeaderCursor headers)
            throws IOException {
        IndexEntry entry = offsetIndex.lookup(offset);
        int position = entry.position() < limit ? entry.position() : 0;
        while (position < limit) {
            RecordBatch header = headers.at(position);
            if (header.lastOffset() >= offset) {
                return Optional.of(position);
            }
            position += header.sizeInBytes();
        }
        return Optional.empty();
    }

    /** The first record at or after {@code timestamp} (record-exact for uncompressed batches). */
    public Optional<TimestampAndOffset> findByTimestamp(long timestamp, long startingOffset) throws IOException {
        if (maxTimestamp().filter(max -> max >= timestamp).isEmpty()) {
            return Optional.empty();
        }
        long scanFrom = Math.max(startingOffset,
                timeIndex.lastEntryBefore(timestamp).map(TimeIndexEntry::offset).orElse(baseOffset));
        int limit = size;
        HeaderCursor headers = new HeaderCursor();
        Optional<Integer> start = positionOfBatchContaining(scanFrom, limit, headers);
        int position = start.orElse(limit);
        while (position < limit) {
            RecordBatch header = headers.at(position);
            if (header.maxTimestamp() >= timestamp) {
                return Optional.of(findInBatch(position, header, timestamp, startingOffset));
            }
            position += header.sizeInBytes();
        }
        return Optional.empty();
    }

    /**
     * The first record at or after {@code timestamp} in the batch at {@code position} (whose max
     * timestamp is known to reach it). A LogAppendTime batch stamps all its records alike, so its
     * first offset answers; otherwise the records are read (decompressed if need be).
     */
    private TimestampAndOffset findInBatch(int position, RecordBatch header, long timestamp, long startingOffset)
            throws IOException {
        long batchMax = header.maxTimestamp();
        long first = Math.max(startingOffset, header.baseOffset());
        if (header.timestampType() == TimestampType.LOG_APPEND_TIME) {
            return new TimestampAndOffset(batchMax, first);
        }
        ByteBuffer bytes = ByteBuffer.allocate(header.sizeInBytes());
        readFully(bytes, position);
        long[] found = {RecordBatch.NO_TIMESTAMP, -1L};
        RecordBatch.at(bytes, 0).forEachRecord(record -> {
            if (found[1] < 0 && record.offset() >= startingOffset && record.timestamp() >= timestamp) {
                found[0] = record.timestamp();
                found[1] = record.offset();
            }
        });
        return found[1] < 0 ? new TimestampAndOffset(batchMax, first) : new TimestampAndOffset(found[0], found[1]);
    }

    /** Reads batch headers from the file into one reused buffer and view. */
    private final class HeaderCursor {
        private final ByteBuffer buffer = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        private RecordBatch view;

        RecordBatch at(int position) throws IOException {
            buffer.clear();
            readFully(buffer, position);
            view = view == null ? RecordBatch.at(buffer, 0) : view.wrap(buffer, 0);
            return view;
        }
    }

    private void readFully(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            if (channel.read(dst, at) < 0) {
                throw new IOException("Unexpected end of " + logFile + " at " + at);
            }
            at = position + dst.position();
        }
        dst.flip();
    }

    /**
     * Walks the batch headers after the last offset index entry to find the segment's next offset
     * and the max timestamp of the unindexed tail; the time index gives the rest.
     */
    private void loadTail() throws IOException {
        timeIndex.lastEntry().ifPresent(e -> {
            maxTimestamp = e.timestamp();
            offsetOfMaxTimestamp = e.offset();
        });
        IndexEntry last = offsetIndex.lastEntry();
        int position = last.position() <= size ? last.position() : 0;
        HeaderCursor headers = new HeaderCursor();
        while (position + RecordBatch.HEADER_SIZE <= size) {
            RecordBatch header = headers.at(position);
            if (header.maxTimestamp() > maxTimestamp) {
                maxTimestamp = header.maxTimestamp();
                offsetOfMaxTimestamp = header.baseOffset();
            }
            nextOffset = header.nextOffset();
            bytesSinceLastIndexEntry += header.sizeInBytes();
            position += header.sizeInBytes();
        }
    }

    /** Receives a batch header (valid during the call) and its file position. */
    @FunctionalInterface
    public interface HeaderVisitor {
        void onHeader(RecordBatch header, int position) throws IOException;
    }

    /** Visits the header of every batch below the published size, reading nothing else. */
    public void visitHeaders(HeaderVisitor visitor) throws IOException {
        int limit = size;
        HeaderCursor headers = new HeaderCursor();
        int position = 0;
        while (position + RecordBatch.HEADER_SIZE <= limit) {
            RecordBatch header = headers.at(position);
            visitor.onHeader(header, position);
            position += header.sizeInBytes();
        }
    }

    /** The whole batch at {@code position} in a new heap buffer (found by {@link #visitHeaders}). */
    public ByteBuffer readBatch(int position, int sizeInBytes) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(sizeInBytes);
        readFully(bytes, position);
        return bytes;
    }

    /**
     * Hands every valid batch to {@code visitor}, stopping at the first torn or corrupt one (the
     * rebuild of producer state after open, which runs before the log is published).
     */
    public void scanBatches(BatchScanner.Visitor visitor) throws IOException {
        BatchScanner.scan(channel, visitor);
    }

    /**
     * Rebuilds the indexes from the log and truncates a torn or corrupt tail to the last whole
     * valid batch. Returns the number of bytes cut off.
     */
    public int recover() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestamp = baseOffset;
        bytesSinceLastIndexEntry = 0;
        nextOffset = baseOffset;
        BatchScanner.Result result = BatchScanner.scan(channel, (batch, position) -> {
            indexBatch(batch, position);
            nextOffset = batch.nextOffset();
        });
        int cut = (int) channel.size() - result.validBytes();
        if (cut > 0) {
            channel.truncate(result.validBytes());
        }
        size = result.validBytes();
        return cut;
    }

    /** Drops every batch holding an offset >= {@code offset}; returns the bytes removed. */
    public int truncateTo(long offset) throws IOException {
        int oldSize = size;
        Optional<Integer> position = positionOfBatchContaining(offset, oldSize, new HeaderCursor());
        if (position.isEmpty()) {
            return 0;
        }
        channel.truncate(position.get());
        size = position.get();
        recover(); // rebuilds indexes, next offset and max timestamp of what is left
        return oldSize - size;
    }

    /** Called when a newer segment becomes active: records the final max timestamp and trims the indexes. */
    public void onBecomeInactive() {
        if (maxTimestamp != RecordBatch.NO_TIMESTAMP) {
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Grows the indexes back to their maximum size when this segment becomes active again (after truncation). */
    void resizeIndexes(int maxIndexSize) {
        offsetIndex.resize(maxIndexSize);
        timeIndex.resize(maxIndexSize);
    }

    public void flush() throws IOException {
        channel.force(true);
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            onBecomeInactive();
            offsetIndex.close();
            timeIndex.close();
            txnIndex.close();
            channel.close();
        }
    }

    /**
     * First step of deletion: renames the log to {@code *.deleted} (in-flight fetches keep reading
     * through the open channel) and removes the index files (existing mappings stay valid), so a
     * new segment may take the same base offset.
     */
    void markDeleted() throws IOException {
        Path renamed = logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX);
        Files.move(logFile, renamed, StandardCopyOption.ATOMIC_MOVE);
        logFile = renamed;
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
        txnIndex.deleteFile();
    }

    /** Closes and removes the three files of a segment never published (an abandoned cleaning). */
    public void discard() throws IOException {
        channel.close();
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
        txnIndex.deleteFile();
        Files.deleteIfExists(logFile);
    }

    /** Final step of deletion, after {@code file.delete.delay.ms}: closes the channel and removes the log file. */
    public void deleteFiles() throws IOException {
        channel.close();
        Files.deleteIfExists(logFile);
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + size + ")";
    }
}
