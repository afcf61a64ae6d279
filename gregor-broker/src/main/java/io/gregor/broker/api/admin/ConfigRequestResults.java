package io.gregor.broker.api.admin;

import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.protocol.error.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Collects the per-resource outcomes of AlterConfigs and IncrementalAlterConfigs in request
 * order: resources refused before reaching the controller (unknown type, named twice, null
 * values) and those the controller decided. Not thread-safe; one per request.
 */
final class ConfigRequestResults {
    /** One answer, keyed by the resource exactly as the request named it. */
    record Outcome(byte typeCode, String name, ApiError error) {
    }

    private record Requested(byte typeCode, String name) {
    }

    private final List<Requested> order = new ArrayList<>();
    private final Map<Requested, ApiError> early = new HashMap<>();
    private final Set<Requested> seen = new HashSet<>();

    /** Records a requested resource; returns it when it may go to the controller. */
    Optional<ConfigResource> admit(byte typeCode, String name) {
        Requested requested = new Requested(typeCode, name);
        if (!seen.add(requested)) {
            early.put(requested, ApiError.of(Errors.INVALID_REQUEST, "Duplicate resource in request: " + name));
            return Optional.empty();
        }
        order.add(requested);
        Optional<ConfigResource> resource = ConfigResources.parse(typeCode, name);
        if (resource.isEmpty()) {
            early.put(requested, ConfigResources.unsupportedType(typeCode));
        }
        return resource;
    }

    void fail(ConfigResource resource, ApiError error) {
        early.put(new Requested(resource.type().code(), resource.name()), error);
    }

    boolean isFailed(ConfigResource resource) {
        return early.containsKey(new Requested(resource.type().code(), resource.name()));
    }

    /** The outcome of every requested resource, in request order. */
    List<Outcome> complete(Set<ConfigResource> sent, Map<ConfigResource, ApiError> decided, Throwable failure) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Requested requested : order) {
            ApiError error = early.get(requested);
            if (error == null) {
                ConfigResource resource = ConfigResources.parse(requested.typeCode(), requested.name()).orElseThrow();
                error = failure != null ? ControllerErrors.toApiError(failure) : decided.get(resource);
                if (error == null || !sent.contains(resource)) {
                    error = ApiError.of(Errors.UNKNOWN_SERVER_ERROR, "No outcome for resource " + requested.name());
                }
            }
            outcomes.add(new Outcome(requested.typeCode(), requested.name(), error));
        }
        return outcomes;
    }
}
