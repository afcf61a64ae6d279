package io.gregor.storage.txn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The aborted transactions whose ABORT marker lies in one segment, in marker order: the file
 * {@code <base offset>.txnindex} next to the segment, created with the first entry. Layout, big
 * endian, one fixed-size entry per aborted transaction:
 * <pre>
 * version int16 (0) | producerId int64 | firstOffset int64 | lastOffset int64 | lastStableOffset int64
 * </pre>
 * A torn last entry (crash in mid-write) is dropped when the file is opened. The entries are
 * also held in memory, as an immutable list replaced on every change: aborts are rare and
 * small, and readers (fetches) then need no lock.
 * <p>
 * Thread-safety: mutations run under the owning log's lock; {@link #entries()} is lock-free.
 */
public final class TransactionIndex implements AutoCloseable {
    public static final String SUFFIX = ".txnindex";
    static final int ENTRY_SIZE = 2 + 8 + 8 + 8 + 8;
    private static final short VERSION = 0;

    private Path file;
    private FileChannel channel;
    private volatile List<AbortedTxn> entries;

    private TransactionIndex(Path file, List<AbortedTxn> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /** An empty index whose file is known not to exist yet (a new segment in a new directory). */
    public static TransactionIndex withoutFile(Path file) {
        return new TransactionIndex(file, List.of());
    }

    /** Opens the index at {@code file}, reading its whole entries; an absent file is an empty index. */
    public static TransactionIndex open(Path file) throws IOException {
        List<AbortedTxn> read = new ArrayList<>();
        if (Files.exists(file)) {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            while (bytes.remaining() >= ENTRY_SIZE) {
                short version = bytes.getShort();
                AbortedTxn entry = new AbortedTxn(bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
                if (version != VERSION) {
                    break; // not written by us: keep what came before
                }
                read.add(entry);
            }
        }
        TransactionIndex index = new TransactionIndex(file, read);
        if (Files.exists(file) && Files.size(file) != (long) read.size() * ENTRY_SIZE) {
            index.rewrite();
        }
        return index;
    }

    public Path file() {
        return file;
    }

    /** The aborted transactions in marker order; an immutable snapshot. */
    public List<AbortedTxn> entries() {
        return entries;
    }

    public void append(AbortedTxn entry) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(ENTRY_SIZE);
        bytes.putShort(VERSION).putLong(entry.producerId()).putLong(entry.firstOffset()).putLong(entry.lastOffset())
                .putLong(entry.lastStableOffset()).flip();
        FileChannel out = channel();
        long position = out.size();
        while (bytes.hasRemaining()) {
            position += out.write(bytes, position);
        }
        List<AbortedTxn> next = new ArrayList<>(entries);
        next.add(entry);
        entries = List.copyOf(next);
    }

    /** Drops the entries whose marker is at or after {@code offset} (the log is cut or replayed from there). */
    public void truncateTo(long offset) throws IOException {
        List<AbortedTxn> kept = entries.stream().filter(e -> e.lastOffset() < offset).toList();
        if (kept.size() != entries.size()) {
            entries = kept;
            rewrite();
        }
    }

    /**
     * Adds to {@code into} the entries of transactions overlapping [{@code from}, {@code upperBound}):
     * ended at or after {@code from} and started before {@code upperBound}.
     */
    public void collectOverlapping(long from, long upperBound, List<AbortedTxn> into) {
        for (AbortedTxn entry : entries) {
            if (entry.lastOffset() >= from && entry.firstOffset() < upperBound) {
                into.add(entry);
            }
        }
    }

    public void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** Moves the file, if it exists yet, to {@code target} (a cleaned segment swapped in). */
    public void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        }
        file = target;
    }

    /** Removes the file (segment deletion); the in-memory entries stay readable by fetches in flight. */
    public void deleteFile() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        return channel;
    }

    /** Writes the file again from the in-memory entries (after a truncation or a torn tail). */
    private void rewrite() throws IOException {
        FileChannel out = channel();
        out.truncate(0);
        ByteBuffer bytes = ByteBuffer.allocate(entries.size() * ENTRY_SIZE);
        for (AbortedTxn entry : entries) {
            bytes.putShort(VERSION).putLong(entry.producerId()).putLong(entry.firstOffset())
                    .putLong(entry.lastOffset()).putLong(entry.lastStableOffset());
        }
        bytes.flip();
        long position = 0;
        while (bytes.hasRemaining()) {
            position += out.write(bytes, position);
        }
    }
}
