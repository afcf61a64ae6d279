package io.gregor.broker.api;

import io.gregor.protocol.wire.ApiMessage;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The handlers this broker serves, one per API key: the single source of what the network layer
 * dispatches to and of what ApiVersions advertises.
 *
 * <p>Handlers are registered while the broker is assembled, usually before the socket server
 * starts (ApiVersionsHandler needs the registry it is registered in, hence registration rather
 * than a constructor list). Thread-safety: registration publishes a new immutable map through a
 * volatile field, so lookups from network threads never lock and always see a consistent set.
 */
public final class HandlerRegistry {
    private final Object registrationLock = new Object();
    private volatile TreeMap<Short, ApiHandler<?, ?>> handlersByKey = new TreeMap<>();

    /**
     * Adds a handler.
     *
     * @throws IllegalArgumentException if a handler for the same API key is already registered,
     *     or the handler's version range is empty
     */
    public HandlerRegistry register(ApiHandler<? extends ApiMessage, ? extends ApiMessage> handler) {
        if (handler.minVersion() > handler.maxVersion()) {
            throw new IllegalArgumentException("Handler " + handler.getClass().getName()
                    + " declares an empty version range " + handler.minVersion() + ".." + handler.maxVersion());
        }
        synchronized (registrationLock) {
            if (handlersByKey.containsKey(handler.apiKey())) {
                throw new IllegalArgumentException("API key " + handler.apiKey() + " already has a handler: "
                        + handlersByKey.get(handler.apiKey()).getClass().getName());
            }
            TreeMap<Short, ApiHandler<?, ?>> next = new TreeMap<>(handlersByKey);
            next.put(handler.apiKey(), handler);
            handlersByKey = next;
        }
        return this;
    }

    public Optional<ApiHandler<?, ?>> handlerFor(short apiKey) {
        return Optional.ofNullable(handlersByKey.get(apiKey));
    }

    /** All handlers, ordered by API key. */
    public Collection<ApiHandler<?, ?>> handlers() {
        return Collections.unmodifiableCollection(handlersByKey.values());
    }
}
