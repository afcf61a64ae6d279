package io.gregor.metadata.quorum;

import io.gregor.metadata.record.CorruptMetadataException;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.MetadataRecordSerde;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata log of a single node: one append-only file of record batches, fsynced per batch.
 *
 * <p>On-disk layout: {@code <log dir>/__cluster_metadata-0/metadata.log}, a sequence of batches,
 * each big-endian:
 * <pre>
 *   length      int32   bytes that follow this field
 *   crc         int32   CRC32C of every byte after this field
 *   baseOffset  int64   offset of the batch's first record
 *   recordCount int32
 *   recordCount times: size int32, record bytes ({@link MetadataRecordSerde})
 * </pre>
 * A batch is the records of one controller operation, so it is applied whole or not at all. At
 * start the file is read from the beginning: a last batch cut short by a crash, or whose CRC does
 * not match, is truncated away with a warning (it was never acknowledged, since acknowledgement
 * waits for the fsync). A batch with a good CRC that does not decode, or whose offset does not
 * follow its predecessor, stops the start: that is not a torn write.
 *
 * <p>Metadata changes are rare and small, so each append is written and fsynced before the
 * listener sees it; there is no group commit.
 *
 * <p>Thread-safety: confined to the controller thread, which calls {@link #start} and
 * {@link #append}; the listener runs on that thread during append.
 */
public final class LocalMetadataLog implements MetadataLog {
    public static final String DIRECTORY_NAME = "__cluster_metadata-0";
    public static final String FILE_NAME = "metadata.log";

    private static final Logger log = LoggerFactory.getLogger(LocalMetadataLog.class);
    private static final int LENGTH_FIELD = Integer.BYTES;
    private static final int HEADER_AFTER_LENGTH = Integer.BYTES + Long.BYTES + Integer.BYTES;

    private final Path file;
    private FileChannel channel;
    private CommittedBatchListener listener;
    private long nextOffset;
    private IOException failure;

    /** @param logDir the first log directory of the node; the metadata directory is made inside it */
    public LocalMetadataLog(Path logDir) {
        this.file = logDir.resolve(DIRECTORY_NAME).resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    @Override
    public void start(CommittedBatchListener listener) throws IOException {
        this.listener = Objects.requireNonNull(listener, "listener");
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long validLength = replay(listener);
        if (validLength < channel.size()) {
            log.warn("Truncating torn tail of the metadata log {}: {} bytes after offset {} dropped", file,
                    channel.size() - validLength, nextOffset);
            channel.truncate(validLength);
            channel.force(true);
        }
        channel.position(validLength);
    }

    @Override
    public CompletableFuture<Long> append(List<MetadataRecord> records) {
        if (channel == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("metadata log not started"));
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(new IOException("metadata log failed earlier", failure));
        }
        MetadataBatch batch = new MetadataBatch(nextOffset, records);
        try {
            ByteBuffer encoded = encode(batch);
            while (encoded.hasRemaining()) {
                channel.write(encoded);
            }
            channel.force(false);
        } catch (IOException e) {
            // The file may now end in a partial batch; refuse further appends so nothing lands after it.
            failure = e;
            return CompletableFuture.failedFuture(e);
        }
        nextOffset = batch.nextOffset();
        listener.onCommit(batch);
        return CompletableFuture.completedFuture(batch.baseOffset());
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    static ByteBuffer encode(MetadataBatch batch) {
        List<byte[]> records = new ArrayList<>(batch.records().size());
        int recordBytes = 0;
        for (MetadataRecord record : batch.records()) {
            byte[] encoded = MetadataRecordSerde.serialize(record);
            records.add(encoded);
            recordBytes += Integer.BYTES + encoded.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH_FIELD + HEADER_AFTER_LENGTH + recordBytes);
        buffer.putInt(HEADER_AFTER_LENGTH + recordBytes);
        int crcPosition = buffer.position();
        buffer.putInt(0);
        buffer.putLong(batch.baseOffset());
        buffer.putInt(records.size());
        for (byte[] record : records) {
            buffer.putInt(record.length);
            buffer.put(record);
        }
        buffer.putInt(crcPosition, crc(buffer.array(), crcPosition + Integer.BYTES, buffer.position()));
        return buffer.flip();
    }

    /** Replays every whole, intact batch; returns the file length they span. */
    private long replay(CommittedBatchListener listener) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE) {
            throw new IOException("metadata log " + file + " is larger than 2 GiB");
        }
        ByteBuffer contents = ByteBuffer.allocate((int) size);
        while (contents.hasRemaining() && channel.read(contents, contents.position()) >= 0) {
            // keeps reading until the whole file is in memory
        }
        contents.flip();
        while (contents.remaining() >= LENGTH_FIELD) {
            int start = contents.position();
            int length = contents.getInt();
            if (length < HEADER_AFTER_LENGTH || length > contents.remaining()) {
                return start;
            }
            int end = contents.position() + length;
            int storedCrc = contents.getInt();
            if (storedCrc != crc(contents.array(), contents.position(), end)) {
                return start;
            }
            MetadataBatch batch = decode(contents.slice(contents.position(), end - contents.position()), start);
            contents.position(end);
            nextOffset = batch.nextOffset();
            listener.onCommit(batch);
        }
        return contents.position();
    }

    private MetadataBatch decode(ByteBuffer body, int filePosition) {
        try {
            long baseOffset = body.getLong();
            if (baseOffset != nextOffset) {
                throw new CorruptMetadataException("batch at file position " + filePosition + " of " + file
                        + " has base offset " + baseOffset + ", expected " + nextOffset);
            }
            int count = body.getInt();
            List<MetadataRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int recordSize = body.getInt();
                records.add(MetadataRecordSerde.deserialize(body.slice(body.position(), recordSize)));
                body.position(body.position() + recordSize);
            }
            return new MetadataBatch(baseOffset, records);
        } catch (RuntimeException e) {
            if (e instanceof CorruptMetadataException corrupt) {
                throw corrupt;
            }
            throw new CorruptMetadataException("batch at file position " + filePosition + " of " + file
                    + " has a valid CRC but does not decode", e);
        }
    }

    private static int crc(byte[] bytes, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, to - from);
        return (int) crc.getValue();
    }
}
