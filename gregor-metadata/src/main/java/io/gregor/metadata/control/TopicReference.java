package io.gregor.metadata.control;

import java.util.Optional;
import java.util.UUID;

/** A topic named in a request either by its name or by its id. */
public sealed interface TopicReference {
    record ByName(String name) implements TopicReference {
    }

    record ById(UUID id) implements TopicReference {
    }

    static TopicReference byName(String name) {
        return new ByName(name);
    }

    static TopicReference byId(UUID id) {
        return new ById(id);
    }

    default Optional<String> topicName() {
        return this instanceof ByName byName ? Optional.of(byName.name()) : Optional.empty();
    }

    default Optional<UUID> topicId() {
        return this instanceof ById byId ? Optional.of(byId.id()) : Optional.empty();
    }
}
