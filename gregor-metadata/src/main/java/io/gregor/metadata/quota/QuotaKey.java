package io.gregor.metadata.quota;

import java.util.Arrays;
import java.util.Optional;

/**
 * The quotas a client quota entity may set, under Kafka's key names: byte rates in bytes per
 * second (KIP-13) and the rate of partition mutations, partitions created or deleted per second
 * (KIP-599). Kafka's request_percentage (KIP-124) is not enforced here, so it is refused.
 */
public enum QuotaKey {
    PRODUCER_BYTE_RATE("producer_byte_rate", true),
    CONSUMER_BYTE_RATE("consumer_byte_rate", true),
    CONTROLLER_MUTATION_RATE("controller_mutation_rate", false);

    private final String key;
    private final boolean whole;

    QuotaKey(String key, boolean whole) {
        this.key = key;
        this.whole = whole;
    }

    public String key() {
        return key;
    }

    /** Whether the value counts whole units (bytes) rather than a fractional rate. */
    public boolean whole() {
        return whole;
    }

    public static Optional<QuotaKey> forKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
