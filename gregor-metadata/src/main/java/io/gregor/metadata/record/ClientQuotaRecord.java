package io.gregor.metadata.record;

import io.gregor.metadata.quota.ClientQuotaEntity;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One quota of a client quota entity was set, replacing any earlier value, or removed (an empty
 * value), as Kafka's ClientQuotaRecord.
 *
 * @param key a quota key such as {@code producer_byte_rate}, checked by the controller
 */
public record ClientQuotaRecord(ClientQuotaEntity entity, String key, OptionalDouble value) implements MetadataRecord {
    public ClientQuotaRecord {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
