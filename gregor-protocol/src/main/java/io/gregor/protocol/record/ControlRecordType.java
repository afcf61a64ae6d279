package io.gregor.protocol.record;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The kind of a control record (a record in a batch with the control attribute), as found in
 * its key: {@code version int16 (0), type int16}. Transaction markers (ABORT, COMMIT) carry a
 * value {@code version int16 (0), coordinatorEpoch int32}.
 */
public enum ControlRecordType {
    ABORT(0),
    COMMIT(1);

    static final short CURRENT_VERSION = 0;
    static final int KEY_SIZE = 4;
    static final int MARKER_VALUE_SIZE = 6;

    private final short type;

    ControlRecordType(int type) {
        this.type = (short) type;
    }

    public short type() {
        return type;
    }

    /** The type named in a control record's key, or empty for types this version does not know. */
    public static Optional<ControlRecordType> of(Record record) {
        ByteBuffer key = record.key();
        if (key == null || key.remaining() < KEY_SIZE) {
            throw new CorruptRecordException("Control record key is missing or shorter than " + KEY_SIZE + " bytes");
        }
        short type = key.getShort(key.position() + 2);
        for (ControlRecordType candidate : values()) {
            if (candidate.type == type) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The coordinator epoch stored in a transaction marker's value. */
    public static int coordinatorEpoch(Record marker) {
        ByteBuffer value = marker.value();
        if (value == null || value.remaining() < MARKER_VALUE_SIZE) {
            throw new CorruptRecordException("Transaction marker value is missing or shorter than "
                    + MARKER_VALUE_SIZE + " bytes");
        }
        return value.getInt(value.position() + 2);
    }

    ByteBuffer key() {
        return ByteBuffer.allocate(KEY_SIZE).putShort(CURRENT_VERSION).putShort(type).flip();
    }

    static ByteBuffer markerValue(int coordinatorEpoch) {
        return ByteBuffer.allocate(MARKER_VALUE_SIZE).putShort(CURRENT_VERSION).putInt(coordinatorEpoch).flip();
    }
}
