package io.gregor.protocol.record;

/**
 * A batch in a format older than magic 2 (the pre-0.11 "message set" formats). Gregor reads
 * and writes only magic 2; Kafka 4 dropped the legacy formats from produce as well.
 */
public final class UnsupportedMagicException extends CorruptRecordException {
    private final byte magic;

    public UnsupportedMagicException(byte magic) {
        super("Unsupported record batch magic " + magic + " (only magic 2 is supported)");
        this.magic = magic;
    }

    public byte magic() {
        return magic;
    }
}
