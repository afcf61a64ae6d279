package io.gregor.protocol.wire;

/** A generated protocol structure that reads and writes itself at a given version. */
public interface Message {
    /** Replaces this object's fields with those decoded from {@code in} at {@code version}. */
    void read(Readable in, short version);

    /** Encodes this object's fields at {@code version}. */
    void write(Writable out, short version);
}
