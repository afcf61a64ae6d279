package io.gregor.metadata.control;

import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.quota.QuotaKey;
import io.gregor.metadata.record.ClientQuotaRecord;
import io.gregor.metadata.record.MetadataRecord;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides changes of client quotas (KIP-546) against an image. An entity's changes are
 * all-or-nothing: one invalid key or value fails that entity and writes none of its records,
 * while the other entities of the same request proceed. Removing a quota that is not set is not
 * an error, as in Kafka. Pure, like {@link ScramControl}.
 */
final class ClientQuotaControl {
    ControllerResult<List<ApiError>> alterClientQuotas(MetadataImage image, List<ClientQuotaAlteration> alterations) {
        List<MetadataRecord> records = new ArrayList<>();
        List<ApiError> results = new ArrayList<>();
        for (ClientQuotaAlteration alteration : alterations) {
            List<MetadataRecord> entityRecords = new ArrayList<>();
            ApiError error = alter(image, alteration, entityRecords);
            results.add(error);
            if (error.isSuccess()) {
                records.addAll(entityRecords);
            }
        }
        return new ControllerResult<>(records, results);
    }

    private static ApiError alter(MetadataImage image, ClientQuotaAlteration alteration, List<MetadataRecord> records) {
        Set<String> keys = new HashSet<>();
        for (ClientQuotaAlteration.Op op : alteration.ops()) {
            Optional<ApiError> invalid = check(op);
            if (invalid.isPresent()) {
                return invalid.get();
            }
            if (!keys.add(op.key())) {
                return ApiError.of(Errors.INVALID_REQUEST, "The request changes quota " + op.key() + " of "
                        + alteration.entity() + " more than once");
            }
            boolean isSet = image.clientQuotas().getOrDefault(alteration.entity(), Map.of())
                    .containsKey(op.key());
            if (op.value().isPresent() || isSet) {
                records.add(new ClientQuotaRecord(alteration.entity(), op.key(), op.value()));
            }
        }
        return ApiError.NONE;
    }

    /** Byte rates are whole, positive numbers of bytes per second; the mutation rate any positive number. */
    private static Optional<ApiError> check(ClientQuotaAlteration.Op op) {
        Optional<QuotaKey> key = QuotaKey.forKey(op.key());
        if (key.isEmpty()) {
            return Optional.of(ApiError.of(Errors.INVALID_REQUEST, "Unknown quota key " + op.key()
                    + ": expected producer_byte_rate, consumer_byte_rate or controller_mutation_rate"));
        }
        if (op.value().isEmpty()) {
            return Optional.empty();
        }
        double value = op.value().getAsDouble();
        if (key.get().whole()) {
            if (!(value > 0) || Double.isInfinite(value) || value != Math.rint(value) || value > Long.MAX_VALUE) {
                return Optional.of(ApiError.of(Errors.INVALID_REQUEST, "Invalid value " + value + " for quota "
                        + op.key() + ": it must be a whole number of bytes per second, at least 1"));
            }
        } else if (!(value > 0) || Double.isInfinite(value)) {
            return Optional.of(ApiError.of(Errors.INVALID_REQUEST, "Invalid value " + value + " for quota "
                    + op.key() + ": it must be a number of partitions per second above 0"));
        }
        return Optional.empty();
    }
}
