package io.gregor.metadata.quota;

import java.util.Arrays;
import java.util.Optional;

/**
 * The quotas a client quota entity may set, under Kafka's key names: byte rates in bytes per
 * second (KIP-13). Kafka's request_percentage (KIP-124) is not enforced here, so it is refused.
 */
public enum QuotaKey {
    PRODUCER_BYTE_RATE("producer_byte_rate"),
    CONSUMER_BYTE_RATE("consumer_byte_rate");

    private final String key;

    QuotaKey(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<QuotaKey> forKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
