package io.gregor.storage.producer;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A producer-state snapshot: {@code <offset zero-padded to 20 digits>.snapshot} in the partition
 * directory holds the state of every producer after all batches below {@code offset}. Layout, big
 * endian:
 * <pre>
 * version int16 (2) | crc32c int32 (of everything after it) | producerCount int32
 * per producer: producerId int64 | epoch int16 | lastTimestamp int64 | coordinatorEpoch int32
 *   | currentTxnFirstOffset int64 (-1: no open transaction) | batchCount int32
 *   per batch (oldest first): firstSeq int32 | lastSeq int32 | firstOffset int64 | lastOffset int64 | timestamp int64
 * </pre>
 * Version 1 snapshots (written before transactions) lack the two transaction fields and are read
 * as producers with no open transaction.
 * Written to a {@code .tmp} file, then renamed. A snapshot is an optimisation over replaying the
 * log: one cut short or lost by a crash fails its CRC or is missing, and the log replays from an
 * older one. So only the snapshot of a clean close is fsynced; the one of a roll, taken under the
 * append lock, is not.
 */
public final class ProducerSnapshotFile {
    public static final String SUFFIX = ".snapshot";
    private static final short VERSION = 2;
    private static final short VERSION_WITHOUT_TXN = 1;
    private static final int HEADER_BYTES = 2 + 4 + 4;
    private static final int PRODUCER_BYTES = 8 + 2 + 8 + 4 + 8 + 4;
    private static final int BATCH_BYTES = 4 + 4 + 8 + 8 + 8;

    private ProducerSnapshotFile() {
    }

    public static Path path(Path dir, long offset) {
        return dir.resolve(String.format("%020d", offset) + SUFFIX);
    }

    /** The offset a snapshot file is named by, if the name is one. */
    public static Optional<Long> parseOffset(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(fileName.substring(0, fileName.length() - SUFFIX.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void write(Path file, Collection<ProducerStateEntry> producers, boolean fsync) throws IOException {
        int size = HEADER_BYTES;
        for (ProducerStateEntry entry : producers) {
            size += PRODUCER_BYTES + entry.batches().size() * BATCH_BYTES;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(VERSION).putInt(0).putInt(producers.size());
        for (ProducerStateEntry entry : producers) {
            buffer.putLong(entry.producerId()).putShort(entry.epoch()).putLong(entry.lastTimestamp())
                    .putInt(entry.coordinatorEpoch()).putLong(entry.currentTxnFirstOffset())
                    .putInt(entry.batches().size());
            for (BatchMetadata batch : entry.batches()) {
                buffer.putInt(batch.firstSeq()).putInt(batch.lastSeq()).putLong(batch.firstOffset())
                        .putLong(batch.lastOffset()).putLong(batch.timestamp());
            }
        }
        buffer.putInt(2, (int) crc(buffer.array(), 6, size - 6));
        buffer.flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync) {
                channel.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The producers in a snapshot; empty when the file is not a readable snapshot of this version. */
    static Optional<List<ProducerStateEntry>> read(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
        try {
            short version = buffer.getShort();
            if ((version != VERSION && version != VERSION_WITHOUT_TXN)
                    || buffer.getInt() != (int) crc(buffer.array(), 6, buffer.limit() - 6)) {
                return Optional.empty();
            }
            int count = buffer.getInt();
            List<ProducerStateEntry> producers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ProducerStateEntry entry = new ProducerStateEntry(buffer.getLong(), buffer.getShort());
                long lastTimestamp = buffer.getLong();
                int coordinatorEpoch = ProducerStateEntry.NO_COORDINATOR_EPOCH;
                long txnFirstOffset = ProducerStateEntry.NO_TXN;
                if (version == VERSION) {
                    coordinatorEpoch = buffer.getInt();
                    txnFirstOffset = buffer.getLong();
                }
                int batchCount = buffer.getInt();
                List<BatchMetadata> batches = new ArrayList<>(batchCount);
                for (int b = 0; b < batchCount; b++) {
                    batches.add(new BatchMetadata(buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong(),
                            buffer.getLong()));
                }
                entry.restore(lastTimestamp, batches, coordinatorEpoch, txnFirstOffset);
                producers.add(entry);
            }
            return Optional.of(producers);
        } catch (BufferUnderflowException | IllegalArgumentException e) { // cut short
            return Optional.empty();
        }
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
