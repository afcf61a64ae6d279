package io.gregor.broker.api.admin;

import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
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

    /**
     * Why the request's principal may not alter {@code resource}'s configs, if it may not: Kafka's
     * rule, ALTER_CONFIGS on the topic for a topic, on the cluster for a broker.
     */
    static Optional<ApiError> alterRefused(RequestContext context, ConfigResource resource) {
        return switch (resource.type()) {
            case TOPIC -> context.authorized(AclOperation.ALTER_CONFIGS, AclResourceType.TOPIC, resource.name())
                    ? Optional.empty()
                    : Optional.of(ApiError.of(Errors.TOPIC_AUTHORIZATION_FAILED,
                            "Not authorized to alter the configs of topic " + resource.name()));
            case BROKER -> context.authorizedOnCluster(AclOperation.ALTER_CONFIGS)
                    ? Optional.empty()
                    : Optional.of(ApiError.of(Errors.CLUSTER_AUTHORIZATION_FAILED,
                            "Not authorized to alter broker configs"));
        };
    }

    static ApiError unsupportedType(byte typeCode) {
        return ApiError.of(Errors.INVALID_REQUEST, "Unsupported resource type " + typeCode
                + "; this broker has configs for topics (2) and brokers (4)");
    }
}
