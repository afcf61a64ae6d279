package io.gregor.storage.log;

import io.gregor.storage.index.IndexEntry;
import io.gregor.storage.index.OffsetIndex;
import io.gregor.storage.index.TimeIndex;
import io.gregor.storage.index.TimeIndexEntry;
import io.gregor.storage.recovery.BatchScanner;
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
 * {@code .index} ({@link OffsetIndex}) and {@code .timeindex} ({@link TimeIndex}). A batch is
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

    private final long baseOffset;
    private Path logFile;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private final long createdMs;
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = BatchLayout.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestamp;
    private int bytesSinceLastIndexEntry;

    private LogSegment(Path dir, long baseOffset, int maxIndexSize, int indexIntervalBytes, long createdMs)
            throws IOException {
        this.baseOffset = baseOffset;
        this.logFile = dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX);
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.offsetIndex = new OffsetIndex(dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX), baseOffset,
                maxIndexSize);
        this.timeIndex = new TimeIndex(dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX), baseOffset,
                maxIndexSize);
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
        LogSegment segment = new LogSegment(dir, baseOffset, maxIndexSize, indexIntervalBytes, created);
        segment.loadTail();
        return segment;
    }

    public static String filenamePrefix(long offset) {
        return String.format("%020d", offset);
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

    /** The largest batch max timestamp in the segment, if any batch carried one. */
    public Optional<Long> maxTimestamp() {
        long max = maxTimestamp;
        return max == BatchLayout.NO_TIMESTAMP ? Optional.empty() : Optional.of(max);
    }

    /** The largest timestamp, or the file's modification time when no batch carried one (retention). */
    public long largestTimestampOrModified() throws IOException {
        return maxTimestamp().orElse(Files.getLastModifiedTime(logFile).toMillis());
    }

    long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }

    /** Whether appending {@code bytes} more must go to a new segment instead. */
    public boolean shouldRoll(int bytes, int segmentBytes, long segmentMs, long nowMs) {
        if (isEmpty()) {
            return false;
        }
        return size > segmentBytes - bytes
                || nowMs - createdMs > segmentMs
                || offsetIndex.isFull()
                || timeIndex.remainingSlots() <= 1;
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
        for (int p = start; p < end; p += BatchLayout.sizeInBytes(batches, p)) {
            indexBatch(batches, p, physical + (p - start));
            next = BatchLayout.lastOffset(batches, p) + 1;
        }
        nextOffset = next;
        size = physical + (end - start);
    }

    private void indexBatch(ByteBuffer batch, int pos, int filePosition) {
        long batchMax = BatchLayout.maxTimestamp(batch, pos);
        if (batchMax > maxTimestamp) {
            maxTimestamp = batchMax;
            offsetOfMaxTimestamp = BatchLayout.baseOffset(batch, pos);
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(BatchLayout.baseOffset(batch, pos), filePosition);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += BatchLayout.sizeInBytes(batch, pos);
    }

    /**
     * Finds the first batch holding an offset >= {@code offset} and returns whole batches from it:
     * at most {@code maxBytes} (but the first batch even if larger when {@code minOneBatch}),
     * stopping before any batch that reaches {@code maxOffsetExclusive}. Empty when no such batch.
     */
    public Optional<FileRecords> read(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch)
            throws IOException {
        int limit = size;
        ByteBuffer header = ByteBuffer.allocate(BatchLayout.HEADER_SIZE);
        Optional<Integer> startPosition = positionOfBatchContaining(offset, limit, header);
        if (startPosition.isEmpty()) {
            return Optional.empty();
        }
        int start = startPosition.get();
        int position = start;
        while (position < limit) {
            readHeader(position, header);
            int batchSize = BatchLayout.sizeInBytes(header, 0);
            boolean first = position == start;
            if (BatchLayout.lastOffset(header, 0) >= maxOffsetExclusive) {
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
    private Optional<Integer> positionOfBatchContaining(long offset, int limit, ByteBuffer header)
            throws IOException {
        IndexEntry entry = offsetIndex.lookup(offset);
        int position = entry.position() < limit ? entry.position() : 0;
        while (position < limit) {
            readHeader(position, header);
            if (BatchLayout.lastOffset(header, 0) >= offset) {
                return Optional.of(position);
            }
            position += BatchLayout.sizeInBytes(header, 0);
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
        ByteBuffer header = ByteBuffer.allocate(BatchLayout.HEADER_SIZE);
        Optional<Integer> start = positionOfBatchContaining(scanFrom, limit, header);
        int position = start.orElse(limit);
        while (position < limit) {
            readHeader(position, header);
            if (BatchLayout.maxTimestamp(header, 0) >= timestamp) {
                return Optional.of(findInBatch(position, header, timestamp, startingOffset));
            }
            position += BatchLayout.sizeInBytes(header, 0);
        }
        return Optional.empty();
    }

    private TimestampAndOffset findInBatch(int position, ByteBuffer header, long timestamp, long startingOffset)
            throws IOException {
        long batchMax = BatchLayout.maxTimestamp(header, 0);
        long base = Math.max(startingOffset, BatchLayout.baseOffset(header, 0));
        if (BatchLayout.isLogAppendTime(header, 0) || BatchLayout.isCompressed(header, 0)) {
            return new TimestampAndOffset(batchMax, base);
        }
        ByteBuffer batch = ByteBuffer.allocate(BatchLayout.sizeInBytes(header, 0));
        readFully(batch, position);
        return RecordTimestamps.firstAtOrAfter(batch, 0, timestamp)
                .filter(found -> found.offset() >= startingOffset)
                .orElse(new TimestampAndOffset(batchMax, base));
    }

    private void readHeader(int position, ByteBuffer header) throws IOException {
        header.clear();
        readFully(header, position);
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
        ByteBuffer header = ByteBuffer.allocate(BatchLayout.HEADER_SIZE);
        while (position + BatchLayout.HEADER_SIZE <= size) {
            readHeader(position, header);
            long batchMax = BatchLayout.maxTimestamp(header, 0);
            if (batchMax > maxTimestamp) {
                maxTimestamp = batchMax;
                offsetOfMaxTimestamp = BatchLayout.baseOffset(header, 0);
            }
            nextOffset = BatchLayout.lastOffset(header, 0) + 1;
            bytesSinceLastIndexEntry += BatchLayout.sizeInBytes(header, 0);
            position += BatchLayout.sizeInBytes(header, 0);
        }
    }

    /**
     * Rebuilds the indexes from the log and truncates a torn or corrupt tail to the last whole
     * valid batch. Returns the number of bytes cut off.
     */
    public int recover() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = BatchLayout.NO_TIMESTAMP;
        offsetOfMaxTimestamp = baseOffset;
        bytesSinceLastIndexEntry = 0;
        nextOffset = baseOffset;
        BatchScanner.Result result = BatchScanner.scan(channel, (batch, position) -> {
            indexBatch(batch, 0, position);
            nextOffset = BatchLayout.lastOffset(batch, 0) + 1;
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
        ByteBuffer header = ByteBuffer.allocate(BatchLayout.HEADER_SIZE);
        int oldSize = size;
        Optional<Integer> position = positionOfBatchContaining(offset, oldSize, header);
        if (position.isEmpty()) {
            return 0;
        }
        channel.truncate(position.get());
        size = position.get();
        recover(); // rebuilds indexes, next offset and max timestamp of what is left
        return oldSize - size;
    }

    /** Called when a newer segment becomes active: records the final max timestamp and trims the indexes. */
    void onBecomeInactive() {
        if (maxTimestamp != BatchLayout.NO_TIMESTAMP) {
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
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            onBecomeInactive();
            offsetIndex.close();
            timeIndex.close();
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
