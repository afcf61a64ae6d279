package io.gregor.protocol.record;

/**
 * The buffer ends inside a batch: {@link #validBytes()} bytes of whole batches precede the
 * {@link #trailingBytes()} bytes of the partial one.
 */
public final class TruncatedBatchException extends CorruptRecordException {
    private final int validBytes;
    private final int trailingBytes;

    public TruncatedBatchException(int validBytes, int trailingBytes) {
        super("Record batches end with a truncated batch: " + trailingBytes + " trailing bytes after "
                + validBytes + " bytes of whole batches");
        this.validBytes = validBytes;
        this.trailingBytes = trailingBytes;
    }

    public int validBytes() {
        return validBytes;
    }

    public int trailingBytes() {
        return trailingBytes;
    }
}
