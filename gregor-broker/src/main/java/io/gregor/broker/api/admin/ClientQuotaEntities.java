package io.gregor.broker.api.admin;

import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.quota.ClientQuotaEntity.Name;
import io.gregor.protocol.error.ApiException;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Client quota entities between the wire, a list of (entity type, name) pairs with a null name
 * for the default, and {@link ClientQuotaEntity}. Only the user and client-id types are served;
 * Kafka's ip entities (connection rates, KIP-612) are refused.
 */
final class ClientQuotaEntities {
    private ClientQuotaEntities() {
    }

    /**
     * The entity the pairs name, each type at most once.
     *
     * @throws ApiException INVALID_REQUEST naming what is wrong
     */
    static ClientQuotaEntity fromWire(Map<String, String> parts, int partCount) {
        if (partCount == 0) {
            throw new ApiException(Errors.INVALID_REQUEST, "Invalid empty client quota entity");
        }
        if (parts.size() != partCount) {
            throw new ApiException(Errors.INVALID_REQUEST, "A client quota entity names an entity type more than once");
        }
        for (String type : parts.keySet()) {
            checkType(type);
        }
        Optional<Name> user = parts.containsKey(ClientQuotaEntity.USER)
                ? Optional.of(Name.ofNullable(parts.get(ClientQuotaEntity.USER))) : Optional.empty();
        Optional<Name> clientId = parts.containsKey(ClientQuotaEntity.CLIENT_ID)
                ? Optional.of(Name.ofNullable(parts.get(ClientQuotaEntity.CLIENT_ID))) : Optional.empty();
        return new ClientQuotaEntity(user, clientId);
    }

    static void checkType(String type) {
        if (!ClientQuotaEntity.USER.equals(type) && !ClientQuotaEntity.CLIENT_ID.equals(type)) {
            throw new ApiException(Errors.INVALID_REQUEST, "Unsupported client quota entity type " + type
                    + ": expected user or client-id");
        }
    }

    /** The entity as the wire's pairs, user first; {@code pair} makes one from a type and a name. */
    static <T> List<T> toWire(ClientQuotaEntity entity, BiFunction<String, String, T> pair) {
        List<T> parts = new ArrayList<>(2);
        entity.user().ifPresent(user -> parts.add(pair.apply(ClientQuotaEntity.USER, user.wireName())));
        entity.clientId().ifPresent(id -> parts.add(pair.apply(ClientQuotaEntity.CLIENT_ID, id.wireName())));
        return parts;
    }
}
