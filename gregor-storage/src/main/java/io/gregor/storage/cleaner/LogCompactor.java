package io.gregor.storage.cleaner;

import io.gregor.protocol.record.RecordBatch;
import io.gregor.storage.log.FileRecords;
import io.gregor.storage.log.LogConfig;
import io.gregor.storage.log.LogSegment;
import io.gregor.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts one log once. First the {@link OffsetMap} is filled with the latest offset of every key
 * in the dirty section (from the first dirty offset, whole segments while they fit, never past
 * the first uncleanable offset nor a transaction still open). Then every segment below the end of
 * what was mapped is rewritten, in groups of consecutive segments that fit in one segment
 * (segment.bytes), into a {@code .cleaned} segment by the {@link BatchRewriter}, fsynced, and
 * swapped in by {@link PartitionLog#replaceSegments} (the log's lock is held only for those
 * renames). Produce and fetch go on meanwhile: the active segment is never touched, and readers
 * of replaced segments finish on the old files.
 * <p>
 * Not thread-safe: one per cleaner thread, reused for every log it cleans (the offset map is
 * allocated once).
 */
final class LogCompactor {
    private static final Logger LOG = LoggerFactory.getLogger(LogCompactor.class);
    private static final int READ_CHUNK_BYTES = 1024 * 1024;
    private static final int WRITE_CHUNK_BYTES = 1024 * 1024;
    /** A compressed batch may inflate to this many times max.message.bytes before the cleaner gives up on it. */
    private static final int MAX_INFLATION = 16;

    /** What a cleaning did: the new first dirty offset and when tombstones or markers may next expire. */
    record Result(long firstDirtyOffset, long earliestDeleteHorizonMs, long bytesRead, long bytesWritten,
                  long recordsRead, long recordsKept) {
    }

    private final OffsetMap offsetMap;
    private final Throttler throttler;
    /**
     * Reused for every read and write, and direct: a heap buffer would be allocated and zeroed per
     * chunk, and the JDK copies file data through a temporary direct buffer anyway.
     */
    private ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK_BYTES);
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_CHUNK_BYTES);
    private long bytesRead;
    private long bytesWritten;

    LogCompactor(OffsetMap offsetMap, Throttler throttler) {
        this.offsetMap = offsetMap;
        this.throttler = throttler;
    }

    /**
     * Cleans {@code log} from its start to at most {@code firstUncleanableOffset}, treating offsets
     * from {@code firstDirtyOffset} on as not yet compacted. Empty when the segments changed under
     * it (retention or truncation won), in which case nothing was lost and the next pass retries.
     *
     * @throws CleaningAbortedException when the cleaner is stopping (the unfinished segment is discarded)
     */
    Optional<Result> clean(PartitionLog log, long firstDirtyOffset, long firstUncleanableOffset, long nowMs)
            throws IOException {
        bytesRead = 0;
        bytesWritten = 0;
        LogConfig config = log.config();
        List<LogSegment> segments = log.segments();
        List<LogSegment> inactive = segments.subList(0, segments.size() - 1);
        TransactionScan transactions = TransactionScan.of(segments);
        long limit = Math.min(firstUncleanableOffset, transactions.firstUnstableOffset().orElse(Long.MAX_VALUE));
        int maxDecompressed = (int) Math.min(Integer.MAX_VALUE - 64, (long) config.maxMessageBytes() * MAX_INFLATION);
        offsetMap.reset(dirtyOffsets(inactive, firstDirtyOffset, limit));
        long endOffset = buildOffsetMap(inactive, firstDirtyOffset, limit, transactions, maxDecompressed);
        BatchRewriter rewriter = new BatchRewriter(offsetMap, transactions, log.lastBatchOffsetByProducer(), nowMs,
                config.deleteRetentionMs(), maxDecompressed);
        List<LogSegment> toClean = inactive.stream().filter(s -> s.baseOffset() < endOffset).toList();
        for (List<LogSegment> group : groups(toClean, config.segmentBytes())) {
            if (!cleanGroup(log, group, rewriter, config, nowMs)) {
                LOG.info("Segments of {} changed during cleaning; it will be cleaned again", log.topicPartition());
                return Optional.empty();
            }
        }
        return Optional.of(new Result(Math.max(firstDirtyOffset, endOffset), rewriter.earliestDeleteHorizonMs(),
                bytesRead, bytesWritten, rewriter.recordsRead(), rewriter.recordsKept()));
    }

    /** How many offsets the offset map may be given: an upper bound of the keys it can hold for this pass. */
    private static long dirtyOffsets(List<LogSegment> inactive, long firstDirtyOffset, long limit) {
        long offsets = 0;
        for (LogSegment segment : inactive) {
            if (segment.nextOffset() > limit) {
                break;
            }
            offsets += Math.max(0, segment.nextOffset() - Math.max(segment.baseOffset(), firstDirtyOffset));
        }
        return offsets;
    }

    /**
     * Maps keys from {@code firstDirtyOffset} through whole segments that end at or below
     * {@code limit} while the map has room; returns the offset mapping stopped at (the first
     * offset not mapped). Only a first segment too big for the map is mapped in part.
     */
    private long buildOffsetMap(List<LogSegment> inactive, long firstDirtyOffset, long limit,
                                TransactionScan transactions, int maxDecompressed)
            throws IOException {
        long mappedTo = firstDirtyOffset;
        boolean firstSegment = true;
        for (LogSegment segment : inactive) {
            if (segment.nextOffset() <= firstDirtyOffset) {
                continue;
            }
            if (segment.nextOffset() > limit) {
                break;
            }
            long segmentStart = Math.max(segment.baseOffset(), firstDirtyOffset);
            long stoppedAt = mapSegment(segment, segmentStart, transactions, maxDecompressed);
            if (stoppedAt < segment.nextOffset()) {
                return firstSegment ? stoppedAt : mappedTo; // full: map whole segments only, but make progress
            }
            mappedTo = segment.nextOffset();
            firstSegment = false;
        }
        return mappedTo;
    }

    /** Maps one segment from {@code from}; returns its next offset, or the batch offset where the map filled up. */
    private long mapSegment(LogSegment segment, long from, TransactionScan transactions, int maxDecompressed)
            throws IOException {
        long offset = from;
        while (offset < segment.nextOffset()) {
            Optional<FileRecords> chunk = segment.read(offset, READ_CHUNK_BYTES, Long.MAX_VALUE, true);
            if (chunk.isEmpty()) {
                break;
            }
            ByteBuffer bytes = read(chunk.get());
            throttle(bytes.remaining(), 0);
            for (RecordBatch batch : RecordBatch.batches(bytes)) {
                if (batch.lastOffset() < from) {
                    continue;
                }
                if (!offsetMap.hasRoomFor(batch.recordsCount())) {
                    return batch.baseOffset();
                }
                if (!batch.isControlBatch() && !(batch.isTransactional()
                        && transactions.isAborted(batch.producerId(), batch.baseOffset()))) {
                    batch.forEachRecord(maxDecompressed, record -> {
                        if (record.hasKey() && record.offset() >= from) {
                            offsetMap.put(record.key(), record.offset());
                        }
                    });
                }
                offset = batch.nextOffset();
            }
        }
        return segment.nextOffset();
    }

    /** Consecutive segments whose bytes together fit in one segment and whose offsets fit its indexes. */
    static List<List<LogSegment>> groups(List<LogSegment> segments, int maxBytes) {
        List<List<LogSegment>> groups = new ArrayList<>();
        List<LogSegment> current = new ArrayList<>();
        long bytes = 0;
        for (LogSegment segment : segments) {
            boolean fits = current.isEmpty() || (bytes + segment.sizeInBytes() <= maxBytes
                    && segment.nextOffset() - 1 - current.get(0).baseOffset() <= Integer.MAX_VALUE);
            if (!fits) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(segment);
            bytes += segment.sizeInBytes();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** Rewrites one group into a .cleaned segment and swaps it in; false when the log no longer has the group. */
    private boolean cleanGroup(PartitionLog log, List<LogSegment> group, BatchRewriter rewriter, LogConfig config,
                               long nowMs) throws IOException {
        LogSegment cleaned = LogSegment.create(log.dir(), group.get(0).baseOffset(), LogSegment.CLEANED_SUFFIX,
                config.segmentIndexBytes(), config.indexIntervalBytes(), nowMs);
        boolean kept = false;
        try {
            ByteBuffer pending = writeBuffer.clear();
            for (LogSegment segment : group) {
                long offset = segment.baseOffset();
                while (offset < segment.nextOffset()) {
                    Optional<FileRecords> chunk = segment.read(offset, READ_CHUNK_BYTES, Long.MAX_VALUE, true);
                    if (chunk.isEmpty()) {
                        break;
                    }
                    ByteBuffer bytes = read(chunk.get());
                    for (RecordBatch batch : RecordBatch.batches(bytes)) {
                        ByteBuffer[] out = {pending};
                        rewriter.rewrite(batch, survivor -> out[0] = write(cleaned, out[0], survivor));
                        pending = out[0];
                        offset = batch.nextOffset();
                    }
                    throttle(bytes.remaining(), 0);
                }
            }
            flush(cleaned, pending);
            writeBuffer = pending;
            cleaned.onBecomeInactive();
            cleaned.flush();
            Optional<LogSegment> replacement = cleaned.isEmpty() ? Optional.empty() : Optional.of(cleaned);
            boolean swapped = log.replaceSegments(group, replacement);
            kept = swapped && replacement.isPresent();
            return swapped;
        } finally {
            if (!kept) {
                cleaned.discard(); // nothing survived, or the swap did not happen
            }
        }
    }

    /** Adds {@code batch} to the pending bytes, writing them out first when full; returns the buffer to go on with. */
    private ByteBuffer write(LogSegment cleaned, ByteBuffer pending, ByteBuffer batch) {
        try {
            if (pending.remaining() < batch.remaining()) {
                flush(cleaned, pending);
                if (pending.capacity() < batch.remaining()) {
                    pending = ByteBuffer.allocateDirect(batch.remaining());
                }
            }
            pending.put(batch.duplicate());
            return pending;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The chunk's bytes in the reused read buffer, valid until the next read. */
    private ByteBuffer read(FileRecords chunk) throws IOException {
        if (readBuffer.capacity() < chunk.sizeInBytes()) {
            readBuffer = ByteBuffer.allocateDirect(chunk.sizeInBytes()); // a batch bigger than a chunk
        }
        readBuffer.clear();
        chunk.readInto(readBuffer);
        return readBuffer.flip();
    }

    private void flush(LogSegment cleaned, ByteBuffer pending) throws IOException {
        pending.flip();
        int bytes = pending.remaining();
        if (bytes > 0) {
            cleaned.appendToUnpublished(pending);
            throttle(0, bytes);
        }
        pending.clear();
    }

    private void throttle(long read, long written) {
        bytesRead += read;
        bytesWritten += written;
        throttler.acquire(read + written);
    }
}
