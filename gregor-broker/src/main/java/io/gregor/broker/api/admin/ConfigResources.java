package io.gregor.broker.api.admin;

import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.error.Errors;
import java.util.Optional;

/** Turns the (resource type, resource name) pairs of the config APIs into resources, or an error. */
final class ConfigResources {
    private ConfigResources() {
    }

    static Optional<ConfigResource> parse(byte typeCode, String name) {
        return ConfigResourceType.forCode(typeCode).map(type -> new ConfigResource(type, name));
    }

    static ApiError unsupportedType(byte typeCode) {
        return ApiError.of(Errors.INVALID_REQUEST, "Unsupported resource type " + typeCode
                + "; this broker has configs for topics (2) and brokers (4)");
    }
}
