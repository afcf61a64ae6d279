package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.acl.AclOperation;
import io.gregor.metadata.acl.AclResourceType;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.control.TopicNames;
import io.gregor.metadata.image.MetadataImage;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.DescribeConfigsRequest;
import io.gregor.protocol.message.DescribeConfigsResponse;
import io.gregor.protocol.message.DescribeConfigsResponse.DescribeConfigsResourceResult;
import io.gregor.protocol.message.DescribeConfigsResponse.DescribeConfigsResult;
import io.gregor.protocol.message.DescribeConfigsResponse.DescribeConfigsSynonym;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs, versions 1-4, for topics and this broker: values with their source, synonyms
 * (when asked), documentation and types (v3+). Answered from the latest committed image without
 * queueing behind the controller.
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse> {
    private final QuorumController controller;
    private final int nodeId;
    private final TopicConfigDescriber topicConfigs;
    private final BrokerConfigDescriber brokerConfigs;

    public DescribeConfigsHandler(QuorumController controller, int nodeId, TopicConfigCatalog catalog,
                                  BrokerConfigView brokerConfig) {
        this.controller = controller;
        this.nodeId = nodeId;
        this.topicConfigs = new TopicConfigDescriber(catalog, brokerConfig);
        this.brokerConfigs = new BrokerConfigDescriber(brokerConfig, nodeId);
    }

    @Override
    public short apiKey() {
        return ApiKey.DESCRIBE_CONFIGS.id();
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<DescribeConfigsResponse> handle(RequestContext context, DescribeConfigsRequest request) {
        MetadataImage image = controller.image();
        List<DescribeConfigsResult> results = new ArrayList<>();
        for (DescribeConfigsRequest.DescribeConfigsResource resource : request.resources()) {
            Optional<ApiError> refused = refusal(context, resource);
            results.add(refused.isPresent()
                    ? failed(new DescribeConfigsResult().setResourceType(resource.resourceType())
                            .setResourceName(resource.resourceName()), refused.get())
                    : describe(image, resource, request.includeSynonyms(), request.includeDocumentation()));
        }
        return CompletableFuture.completedFuture(new DescribeConfigsResponse().setResults(results));
    }

    /** Kafka's rule: DESCRIBE_CONFIGS on the topic, or on the cluster for a broker's configs. */
    private static Optional<ApiError> refusal(RequestContext context,
                                              DescribeConfigsRequest.DescribeConfigsResource resource) {
        Optional<ConfigResource> parsed = ConfigResources.parse(resource.resourceType(), resource.resourceName());
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        return switch (parsed.get().type()) {
            case TOPIC -> context.authorized(AclOperation.DESCRIBE_CONFIGS, AclResourceType.TOPIC, parsed.get().name())
                    ? Optional.empty()
                    : Optional.of(ApiError.of(Errors.TOPIC_AUTHORIZATION_FAILED,
                            "Not authorized to describe the configs of topic " + parsed.get().name()));
            case BROKER -> context.authorizedOnCluster(AclOperation.DESCRIBE_CONFIGS)
                    ? Optional.empty()
                    : Optional.of(ApiError.of(Errors.CLUSTER_AUTHORIZATION_FAILED,
                            "Not authorized to describe the configs of the brokers"));
        };
    }

    private DescribeConfigsResult describe(MetadataImage image, DescribeConfigsRequest.DescribeConfigsResource requested,
                                           boolean includeSynonyms, boolean includeDocumentation) {
        DescribeConfigsResult result = new DescribeConfigsResult()
                .setResourceType(requested.resourceType())
                .setResourceName(requested.resourceName());
        Optional<ConfigResource> parsed = ConfigResources.parse(requested.resourceType(), requested.resourceName());
        if (parsed.isEmpty()) {
            return failed(result, ConfigResources.unsupportedType(requested.resourceType()));
        }
        Optional<Collection<String>> keys = Optional.ofNullable(requested.configurationKeys());
        ConfigResource resource = parsed.get();
        List<DescribedConfig> configs;
        switch (resource.type()) {
            case TOPIC -> {
                Optional<ApiError> invalidName = TopicNames.validate(resource.name());
                if (invalidName.isPresent()) {
                    return failed(result, invalidName.get());
                }
                if (image.topic(resource.name()).isEmpty()) {
                    return failed(result, ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                            "The topic '" + resource.name() + "' does not exist."));
                }
                configs = topicConfigs.describe(image, image.configs(resource), keys);
            }
            case BROKER -> {
                if (!resource.name().isEmpty() && !resource.name().equals(Integer.toString(nodeId))) {
                    return failed(result, ApiError.of(Errors.INVALID_REQUEST, "Unexpected broker id, expected "
                            + nodeId + " or empty string, but received " + resource.name()));
                }
                configs = brokerConfigs.describe(image, resource.name(), keys);
            }
            default -> throw new IllegalStateException("unhandled resource type " + resource.type());
        }
        List<DescribeConfigsResourceResult> entries = new ArrayList<>();
        for (DescribedConfig config : configs) {
            entries.add(toWire(config, includeSynonyms, includeDocumentation));
        }
        return result.setErrorCode(Errors.NONE.code()).setErrorMessage(null).setConfigs(entries);
    }

    private static DescribeConfigsResourceResult toWire(DescribedConfig config, boolean includeSynonyms,
                                                        boolean includeDocumentation) {
        List<DescribeConfigsSynonym> synonyms = new ArrayList<>();
        if (includeSynonyms) {
            for (DescribedConfig.Synonym synonym : config.synonyms()) {
                synonyms.add(new DescribeConfigsSynonym()
                        .setName(synonym.name())
                        .setValue(synonym.value().orElse(null))
                        .setSource(synonym.source().code()));
            }
        }
        return new DescribeConfigsResourceResult()
                .setName(config.name())
                .setValue(config.value().orElse(null))
                .setReadOnly(config.readOnly())
                .setConfigSource(config.source().code())
                .setIsSensitive(config.sensitive())
                .setSynonyms(synonyms)
                .setConfigType(ConfigTypeCodes.code(config.type()))
                .setDocumentation(includeDocumentation ? config.documentation() : null);
    }

    private static DescribeConfigsResult failed(DescribeConfigsResult result, ApiError error) {
        return result.setErrorCode(error.error().code()).setErrorMessage(error.messageOrDefault());
    }
}
