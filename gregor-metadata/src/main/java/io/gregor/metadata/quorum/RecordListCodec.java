package io.gregor.metadata.quorum;

import io.gregor.metadata.record.CorruptMetadataException;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.metadata.record.MetadataRecordSerde;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of metadata records as bytes: {@code count int32, (size int32, record)*}, big-endian,
 * each record in {@link MetadataRecordSerde}'s encoding. The body of a Raft log entry (one batch)
 * and of a snapshot. No checksum: the Raft log and the snapshot file carry their own.
 */
final class RecordListCodec {
    private RecordListCodec() {
    }

    static byte[] encode(List<MetadataRecord> records) {
        List<byte[]> encoded = new ArrayList<>(records.size());
        int size = Integer.BYTES;
        for (MetadataRecord record : records) {
            byte[] bytes = MetadataRecordSerde.serialize(record);
            encoded.add(bytes);
            size += Integer.BYTES + bytes.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(encoded.size());
        for (byte[] bytes : encoded) {
            buffer.putInt(bytes.length);
            buffer.put(bytes);
        }
        return buffer.array();
    }

    /** @throws CorruptMetadataException if the bytes are not exactly a list of records */
    static List<MetadataRecord> decode(ByteBuffer bytes) {
        ByteBuffer in = bytes.slice();
        try {
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / Integer.BYTES) {
                throw new CorruptMetadataException("impossible metadata record count " + count);
            }
            List<MetadataRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int size = in.getInt();
                if (size < 0 || size > in.remaining()) {
                    throw new CorruptMetadataException("metadata record " + i + " of " + count + " has size " + size
                            + " but only " + in.remaining() + " bytes follow");
                }
                records.add(MetadataRecordSerde.deserialize(in.slice(in.position(), size)));
                in.position(in.position() + size);
            }
            if (in.hasRemaining()) {
                throw new CorruptMetadataException(in.remaining() + " bytes after the last of " + count
                        + " metadata records");
            }
            return records;
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new CorruptMetadataException("metadata records cut short", e);
        }
    }
}
