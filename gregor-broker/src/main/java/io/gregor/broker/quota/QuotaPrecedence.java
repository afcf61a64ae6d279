package io.gregor.broker.quota;

import io.gregor.metadata.quota.ClientQuotaEntity;
import io.gregor.metadata.quota.ClientQuotaEntity.Name;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which configured quota applies to a client, in KIP-55's order: the most specific entity set
 * wins, a user's own before the default user's, a user before a client id, a name before the
 * default:
 * <ol>
 * <li>user and client id</li>
 * <li>user and default client id</li>
 * <li>user</li>
 * <li>default user and client id</li>
 * <li>default user and default client id</li>
 * <li>default user</li>
 * <li>client id</li>
 * <li>default client id</li>
 * </ol>
 */
final class QuotaPrecedence {
    private QuotaPrecedence() {
    }

    /**
     * The quota a client of {@code user} with {@code clientId} is held to, from the bounds set for
     * one quota key; empty when none applies.
     */
    static Optional<Match> resolve(Map<ClientQuotaEntity, Double> bounds, String user, String clientId) {
        for (ClientQuotaEntity candidate : candidates(user, clientId)) {
            Double bound = bounds.get(candidate);
            if (bound != null) {
                return Optional.of(new Match(candidate, bound, MeasuredClient.of(candidate, user, clientId)));
            }
        }
        return Optional.empty();
    }

    private static List<ClientQuotaEntity> candidates(String user, String clientId) {
        Name userName = Name.of(user);
        Name clientName = Name.of(clientId);
        return List.of(
                ClientQuotaEntity.of(userName, clientName),
                ClientQuotaEntity.of(userName, Name.DEFAULT),
                ClientQuotaEntity.user(userName),
                ClientQuotaEntity.of(Name.DEFAULT, clientName),
                ClientQuotaEntity.of(Name.DEFAULT, Name.DEFAULT),
                ClientQuotaEntity.user(Name.DEFAULT),
                ClientQuotaEntity.clientId(clientName),
                ClientQuotaEntity.clientId(Name.DEFAULT));
    }

    /**
     * The quota that applies and whose bytes count against it.
     *
     * @param entity the entity the quota is set on
     * @param bound bytes per second
     * @param measured whose bytes share the quota
     */
    record Match(ClientQuotaEntity entity, double bound, MeasuredClient measured) {
    }

    /**
     * Whose bytes are counted together, as Kafka's quota metrics are tagged: the user when the
     * quota's entity names users (a default user quota is each user's own), the client id when it
     * names client ids; an empty string for the part it does not name. A quota on client id
     * {@code app} alone is shared by every user's {@code app} clients.
     */
    record MeasuredClient(String user, String clientId) {
        static MeasuredClient of(ClientQuotaEntity entity, String user, String clientId) {
            return new MeasuredClient(entity.user().isPresent() ? user : "",
                    entity.clientId().isPresent() ? clientId : "");
        }
    }
}
