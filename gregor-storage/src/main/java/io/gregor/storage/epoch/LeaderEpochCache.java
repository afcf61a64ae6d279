package io.gregor.storage.epoch;

import io.gregor.storage.recovery.CheckpointFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Leader epoch → start offset for one partition, in increasing order of both, persisted on every
 * change to {@code leader-epoch-checkpoint} in the partition directory. File format (text):
 * <pre>
 * 0                 version
 * N                 number of entries
 * epoch startOffset one line per entry
 * </pre>
 * Written to a temporary file, fsynced and atomically renamed, so a crash leaves the old or the
 * new content. The first entry of a new log is the exception: {@link #assignFirstDeferred} keeps
 * it in memory, and the log has it written ({@link #writePending}) when it first flushes, before
 * its recovery point passes the entry's batches, or closes. Every later write holds it too, so a
 * crash leaves either no checkpoint, and the log rebuilds the cache from its batches (which the
 * recovery after that crash scans anyway), or a whole one.
 *
 * <p>Thread-safety: changes are synchronized and rare (leader changes, truncation, log start
 * moves); {@link #assign} of an epoch that is not newer, which every append makes, reads a
 * volatile field and takes no lock, so the write at a background flush never holds up appends.
 */
public final class LeaderEpochCache {
    public static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final int VERSION = 0;

    private final Path file;
    private final List<EpochEntry> entries = new ArrayList<>();
    /** The epoch of the last entry, {@link #NO_EPOCH} while there is none. */
    private volatile int latestEpoch = NO_EPOCH;
    /** An entry is in memory only: {@link #writePending} has still to write the checkpoint. */
    private boolean pendingWrite;
    /** The log was closed or deleted: nothing may be written into its directory any more. */
    private boolean closed;
    private static final int NO_EPOCH = Integer.MIN_VALUE;

    private LeaderEpochCache(Path file) {
        this.file = file;
    }

    /** An empty cache for a partition directory just made, which holds no checkpoint to load. */
    public static LeaderEpochCache empty(Path partitionDir) {
        return new LeaderEpochCache(partitionDir.resolve(FILE_NAME));
    }

    /** Loads the checkpoint in {@code partitionDir}, or starts empty. */
    public static LeaderEpochCache load(Path partitionDir) throws IOException {
        LeaderEpochCache cache = new LeaderEpochCache(partitionDir.resolve(FILE_NAME));
        if (Files.exists(cache.file)) {
            List<String> lines = Files.readAllLines(cache.file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new IOException("Unreadable leader epoch checkpoint " + cache.file);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            for (int i = 0; i < count; i++) {
                String[] parts = lines.get(2 + i).trim().split("\\s+");
                cache.entries.add(new EpochEntry(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
            }
            if (!cache.entries.isEmpty()) {
                cache.latestEpoch = cache.entries.get(cache.entries.size() - 1).epoch();
            }
        }
        return cache;
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}. Ignored unless the epoch is newer
     * than the latest known one; entries starting at or after {@code startOffset} (a previous
     * leader's divergent tail) are replaced.
     */
    public void assign(int epoch, long startOffset) {
        if (latestEpoch >= epoch) {
            return; // the common case on every append: nothing to do, nothing allocated, no lock
        }
        assignAndPersist(epoch, startOffset);
    }

    private synchronized void assignAndPersist(int epoch, long startOffset) {
        if (add(epoch, startOffset)) {
            persist();
        }
    }

    /**
     * {@link #assign} for an append that assigns offsets, except that the first entry of an empty
     * cache (a new log's first append) is only kept in memory until {@link #writePending}: writing
     * it, an fsync under the log's lock on the network thread, was on the produce path of every
     * new partition.
     */
    public void assignFirstDeferred(int epoch, long startOffset) {
        if (latestEpoch >= epoch) {
            return;
        }
        synchronized (this) {
            if (!entries.isEmpty()) {
                assignAndPersist(epoch, startOffset);
                return;
            }
            add(epoch, startOffset);
            pendingWrite = true;
        }
    }

    /** Writes the checkpoint if an entry is only in memory and the log is still open. */
    public synchronized void writePending() {
        if (pendingWrite && !closed) {
            persist();
        }
    }

    /** The log is closing: a pending entry is written, and nothing after this. */
    public synchronized void close() {
        writePending();
        closed = true;
    }

    /** The log is being deleted: nothing is written any more. */
    public synchronized void discard() {
        closed = true;
    }

    public boolean isEmpty() {
        return latestEpoch == NO_EPOCH;
    }

    /** Adds an entry for an epoch newer than the latest; false if it is not newer. */
    private boolean add(int epoch, long startOffset) {
        if (!entries.isEmpty() && entries.get(entries.size() - 1).epoch() >= epoch) {
            return false;
        }
        entries.removeIf(e -> e.startOffset() >= startOffset);
        entries.add(new EpochEntry(epoch, startOffset));
        latestEpoch = epoch;
        return true;
    }

    public synchronized Optional<Integer> latestEpoch() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1).epoch());
    }

    public synchronized List<EpochEntry> entries() {
        return List.copyOf(entries);
    }

    /**
     * OffsetForLeaderEpoch: the largest known epoch <= {@code epoch} and its end offset (the start
     * of the next known epoch, or {@code logEndOffset} for the latest).
     */
    public synchronized EpochEndOffset endOffsetFor(int epoch, long logEndOffset) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            EpochEntry entry = entries.get(i);
            if (entry.epoch() <= epoch) {
                long end = i == entries.size() - 1 ? logEndOffset : entries.get(i + 1).startOffset();
                return new EpochEndOffset(entry.epoch(), end);
            }
        }
        return EpochEndOffset.UNDEFINED;
    }

    /** After the log was truncated to {@code endOffset}: drops epochs starting at or after it. */
    public synchronized void truncateFromEnd(long endOffset) {
        if (entries.removeIf(e -> e.startOffset() >= endOffset)) {
            latestEpoch = entries.isEmpty() ? NO_EPOCH : entries.get(entries.size() - 1).epoch();
            persist();
        }
    }

    /**
     * After the log start moved to {@code startOffset}: drops epochs that end before it and moves
     * the start of the epoch containing it up to it.
     */
    public synchronized void truncateFromStart(long startOffset) {
        int containing = -1;
        for (int i = 0; i < entries.size() && entries.get(i).startOffset() <= startOffset; i++) {
            containing = i;
        }
        if (containing < 0 || (containing == 0 && entries.get(0).startOffset() == startOffset)) {
            return;
        }
        EpochEntry moved = new EpochEntry(entries.get(containing).epoch(), startOffset);
        entries.subList(0, containing + 1).clear();
        entries.add(0, moved);
        persist();
    }

    private void persist() {
        pendingWrite = false;
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(entries.size()).append('\n');
        for (EpochEntry e : entries) {
            text.append(e.epoch()).append(' ').append(e.startOffset()).append('\n');
        }
        try {
            CheckpointFile.write(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
