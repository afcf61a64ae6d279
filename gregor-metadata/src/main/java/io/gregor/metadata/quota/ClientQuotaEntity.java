package io.gregor.metadata.quota;

import java.util.Objects;
import java.util.Optional;

/**
 * Whom a quota applies to: a user, a client id, or a user's client id (KIP-55). Each part is
 * either absent (the entity does not name it) or present with a name, where an empty name means
 * the default: the quota of every user (or client id) that has none of its own.
 *
 * @param user the user part: empty when absent; a present {@link Name} with no name is the default user
 * @param clientId the client-id part, in the same way
 */
public record ClientQuotaEntity(Optional<Name> user, Optional<Name> clientId) {
    /** The entity types of the Admin API, as Kafka names them. */
    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";

    public ClientQuotaEntity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(clientId, "clientId");
        if (user.isEmpty() && clientId.isEmpty()) {
            throw new IllegalArgumentException("a client quota entity names a user, a client id or both");
        }
    }

    /** One part of an entity: a name, or the default when {@link #name} is empty. */
    public record Name(Optional<String> name) {
        public static final Name DEFAULT = new Name(Optional.empty());

        public Name {
            Objects.requireNonNull(name, "name");
        }

        public static Name of(String name) {
            return new Name(Optional.of(name));
        }

        /** A name from the wire, where null is the default. */
        public static Name ofNullable(String name) {
            return name == null ? DEFAULT : of(name);
        }

        public boolean isDefault() {
            return name.isEmpty();
        }

        /** The name as the wire carries it: null for the default. */
        public String wireName() {
            return name.orElse(null);
        }

        @Override
        public String toString() {
            return name.orElse("<default>");
        }
    }

    public static ClientQuotaEntity of(Name user, Name clientId) {
        return new ClientQuotaEntity(Optional.of(user), Optional.of(clientId));
    }

    public static ClientQuotaEntity user(Name user) {
        return new ClientQuotaEntity(Optional.of(user), Optional.empty());
    }

    public static ClientQuotaEntity clientId(Name clientId) {
        return new ClientQuotaEntity(Optional.empty(), Optional.of(clientId));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        user.ifPresent(name -> text.append(USER).append('=').append(name));
        clientId.ifPresent(name -> text.append(text.isEmpty() ? "" : ", ").append(CLIENT_ID).append('=').append(name));
        return text.toString();
    }
}
