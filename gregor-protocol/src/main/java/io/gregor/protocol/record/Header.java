package io.gregor.protocol.record;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A record header. {@code value} is null when the header was written without a value (Kafka
 * distinguishes that from an empty value); otherwise a read-only slice of the record's bytes.
 */
public record Header(String key, ByteBuffer value) {
    public Header {
        Objects.requireNonNull(key, "header key");
    }

    public static Header of(String key, byte[] value) {
        return new Header(key, value == null ? null : ByteBuffer.wrap(value));
    }

    public boolean hasValue() {
        return value != null;
    }
}
