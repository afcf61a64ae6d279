package io.gregor.broker.txn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;

/**
 * Hands out producer ids that are never reused, across restarts too. Ids are reserved in
 * blocks: the end of the current block is written (and fsynced) to {@code producer-id-block}
 * before any id of the block is given out, so a crash loses at most the unused rest of a block.
 *
 * <p>Every node of a cluster hands out ids, so each has a range of its own: node {@code n}'s ids
 * are {@code n << 40} plus its counter, which keeps them apart for node ids below 2<sup>23</sup>
 * and a trillion ids per node. (Kafka's controller allocates the blocks instead; that needs a
 * metadata record Gregor does not have yet.)
 *
 * <p>On disk: one line, the counter at the start of the next unreserved block, in decimal.
 *
 * <p>Thread-safety: {@link #nextProducerId()} is synchronized; it is called once per producer,
 * not per record.
 */
public final class ProducerIdManager {
    static final int BLOCK_SIZE = 1000;
    static final int NODE_SHIFT = 40;
    private static final int MAX_NODE_ID = (1 << (Long.SIZE - 1 - NODE_SHIFT)) - 1;

    private final Path file;
    private final long nodeBase;
    private long next;
    private long blockEnd;

    public ProducerIdManager(Path dataDir, int nodeId) {
        if (nodeId < 0 || nodeId > MAX_NODE_ID) {
            throw new IllegalArgumentException("Node id " + nodeId + " is outside 0.." + MAX_NODE_ID);
        }
        this.nodeBase = (long) nodeId << NODE_SHIFT;
        this.file = dataDir.resolve("producer-id-block");
        long reserved = readReservedEnd();
        this.next = reserved;
        this.blockEnd = reserved;
    }

    public synchronized long nextProducerId() {
        if (next == blockEnd) {
            blockEnd = next + BLOCK_SIZE;
            persist(blockEnd);
        }
        return nodeBase + next++;
    }

    private long readReservedEnd() {
        try {
            if (!Files.exists(file)) {
                return 0;
            }
            return Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Corrupt producer id block file " + file, e);
        }
    }

    private void persist(long reservedEnd) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(temp, Long.toString(reservedEnd), StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reserve producer ids in " + file, e);
        }
    }
}
