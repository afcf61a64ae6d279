package io.gregor.metadata.control;

import io.gregor.metadata.quota.ClientQuotaEntity;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The changes to one entity's quotas that an AlterClientQuotas request asks for (KIP-546).
 *
 * @param ops each sets a key to a value, or removes it (an empty value)
 */
public record ClientQuotaAlteration(ClientQuotaEntity entity, List<Op> ops) {
    public ClientQuotaAlteration {
        Objects.requireNonNull(entity, "entity");
        ops = List.copyOf(ops);
    }

    public record Op(String key, OptionalDouble value) {
        public Op {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }
}
