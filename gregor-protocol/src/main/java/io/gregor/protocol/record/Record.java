package io.gregor.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One record of a batch, read in place from the batch's (decompressed) records section.
 *
 * <pre>
 * length          varint  -- bytes after this field
 * attributes      int8    -- unused, 0
 * timestampDelta  varlong -- from the batch's baseTimestamp
 * offsetDelta     varint  -- from the batch's baseOffset
 * keyLength       varint  -- -1 for a null key
 * key             bytes
 * valueLength     varint  -- -1 for a null value (a tombstone)
 * value           bytes
 * headerCount     varint
 * headers         headerCount x (keyLength varint, key UTF-8, valueLength varint (-1: null), value)
 * </pre>
 *
 * <p>Parsing validates the structure but copies nothing; {@link #key()}, {@link #value()} and
 * {@link #headers()} return slices of the underlying buffer, made on demand. Key and value are
 * null when absent, as in Kafka's API, because a null value is a meaningful tombstone.
 *
 * <p>A record from {@link RecordBatch#records()} never changes and may be kept as long as its
 * buffer is; the one passed to {@link RecordBatch#forEachRecord} is reused for every record.
 */
public final class Record {
    private static final int NULL_LENGTH = -1;

    private ByteBuffer buffer;
    private int sizeInBytes;
    private byte attributes;
    private long timestampDelta;
    private int offsetDelta;
    private long offset;
    private long timestamp;
    private int keyPosition;
    private int keyLength;
    private int valuePosition;
    private int valueLength;
    private int headersPosition;
    private int headerCount;

    Record() {
    }

    /**
     * Reads the record at {@code in.position()}, leaving the position after it.
     *
     * @param logAppendTime the batch's maxTimestamp when it uses LOG_APPEND_TIME (then every
     *     record carries that timestamp), else {@link RecordBatch#NO_TIMESTAMP}
     */
    static Record readFrom(ByteBuffer in, long baseOffset, long baseTimestamp, TimestampType timestampType,
                           long logAppendTime) {
        Record record = new Record();
        record.read(in, baseOffset, baseTimestamp, timestampType, logAppendTime);
        return record;
    }

    /** Like {@link #readFrom} but overwrites this instance (flyweight iteration). */
    void read(ByteBuffer in, long baseOffset, long baseTimestamp, TimestampType timestampType, long logAppendTime) {
        int start = in.position();
        int length = Varints.readVarint(in);
        int bodyStart = in.position();
        if (length < 0 || length > in.remaining()) {
            throw new CorruptRecordException("Record length " + length + " exceeds the " + in.remaining()
                    + " bytes left in the batch");
        }
        int end = bodyStart + length;
        ByteBuffer body = in.duplicate().limit(end);
        try {
            byte attributes = body.get();
            long timestampDelta = Varints.readVarlong(body);
            int offsetDelta = Varints.readVarint(body);
            int keyLength = Varints.readVarint(body);
            int keyPosition = skipBytes(body, keyLength, "key");
            int valueLength = Varints.readVarint(body);
            int valuePosition = skipBytes(body, valueLength, "value");
            int headerCount = Varints.readVarint(body);
            if (headerCount < 0) {
                throw new CorruptRecordException("Negative header count " + headerCount);
            }
            int headersPosition = body.position();
            for (int i = 0; i < headerCount; i++) {
                int headerKeyLength = Varints.readVarint(body);
                if (headerKeyLength < 0) {
                    throw new CorruptRecordException("Header key length " + headerKeyLength + " is negative");
                }
                skipBytes(body, headerKeyLength, "header key");
                skipBytes(body, Varints.readVarint(body), "header value");
            }
            if (body.hasRemaining()) {
                throw new CorruptRecordException("Record has " + body.remaining() + " bytes after its headers");
            }
            long timestamp = timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime
                    : baseTimestamp + timestampDelta;
            in.position(end);
            this.buffer = in;
            this.sizeInBytes = end - start;
            this.attributes = attributes;
            this.timestampDelta = timestampDelta;
            this.offsetDelta = offsetDelta;
            this.offset = baseOffset + offsetDelta;
            this.timestamp = timestamp;
            this.keyPosition = keyPosition;
            this.keyLength = keyLength;
            this.valuePosition = valuePosition;
            this.valueLength = valueLength;
            this.headersPosition = headersPosition;
            this.headerCount = headerCount;
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptRecordException("Record ends before its declared fields");
        }
    }

    private static int skipBytes(ByteBuffer body, int length, String what) {
        int position = body.position();
        if (length == NULL_LENGTH) {
            return position;
        }
        if (length < NULL_LENGTH || length > body.remaining()) {
            throw new CorruptRecordException("Record " + what + " length " + length + " is invalid with "
                    + body.remaining() + " bytes left");
        }
        body.position(position + length);
        return position;
    }

    /** Encoded size including the length prefix. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    public byte attributes() {
        return attributes;
    }

    public long timestampDelta() {
        return timestampDelta;
    }

    public int offsetDelta() {
        return offsetDelta;
    }

    /** baseOffset + offsetDelta of the batch as it was when iteration started. */
    public long offset() {
        return offset;
    }

    /** The record's timestamp; for a LOG_APPEND_TIME batch, the batch's maxTimestamp. */
    public long timestamp() {
        return timestamp;
    }

    public boolean hasKey() {
        return keyLength != NULL_LENGTH;
    }

    public int keySize() {
        return keyLength;
    }

    /** Read-only slice of the key, or null when the record has none. */
    public ByteBuffer key() {
        return hasKey() ? buffer.slice(keyPosition, keyLength).asReadOnlyBuffer() : null;
    }

    public boolean hasValue() {
        return valueLength != NULL_LENGTH;
    }

    public int valueSize() {
        return valueLength;
    }

    /** Read-only slice of the value, or null for a tombstone. */
    public ByteBuffer value() {
        return hasValue() ? buffer.slice(valuePosition, valueLength).asReadOnlyBuffer() : null;
    }

    public int headerCount() {
        return headerCount;
    }

    /** The headers in order, decoded now (keys become Strings, values are slices). */
    public List<Header> headers() {
        if (headerCount == 0) {
            return Collections.emptyList();
        }
        List<Header> headers = new ArrayList<>(headerCount);
        ByteBuffer in = buffer.duplicate().position(headersPosition);
        for (int i = 0; i < headerCount; i++) {
            int keyLength = Varints.readVarint(in);
            String key = StandardCharsets.UTF_8.decode(in.slice(in.position(), keyLength)).toString();
            in.position(in.position() + keyLength);
            int valueLength = Varints.readVarint(in);
            ByteBuffer value = null;
            if (valueLength != NULL_LENGTH) {
                value = in.slice(in.position(), valueLength).asReadOnlyBuffer();
                in.position(in.position() + valueLength);
            }
            headers.add(new Header(key, value));
        }
        return headers;
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", keySize=" + keyLength + ", valueSize="
                + valueLength + ", headers=" + headerCount + ")";
    }
}
