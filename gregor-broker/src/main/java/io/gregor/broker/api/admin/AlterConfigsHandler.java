package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.AlterConfigsRequest;
import io.gregor.protocol.message.AlterConfigsResponse;
import io.gregor.protocol.message.AlterConfigsResponse.AlterConfigsResourceResponse;
import io.gregor.protocol.message.ApiKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The legacy AlterConfigs, versions 0-2: each resource's dynamic configs become exactly the given
 * set (keys left out are removed). Superseded by IncrementalAlterConfigs but still sent by tools.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequest, AlterConfigsResponse> {
    private final QuorumController controller;
    private final BrokerConfigCheck brokerCheck;

    /** @param brokerCheck what this broker checks of a change of its own dynamic configs before it is committed */
    public AlterConfigsHandler(QuorumController controller, BrokerConfigCheck brokerCheck) {
        this.controller = controller;
        this.brokerCheck = brokerCheck;
    }

    @Override
    public short apiKey() {
        return ApiKey.ALTER_CONFIGS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 2;
    }

    @Override
    public CompletableFuture<AlterConfigsResponse> handle(RequestContext context, AlterConfigsRequest request) {
        ConfigRequestResults results = new ConfigRequestResults();
        Map<ConfigResource, Map<String, String>> changes = new LinkedHashMap<>();
        for (AlterConfigsRequest.AlterConfigsResource requested : request.resources()) {
            Optional<ConfigResource> resource = results.admit(requested.resourceType(), requested.resourceName());
            if (resource.isEmpty()) {
                continue;
            }
            Optional<ApiError> refused = ConfigResources.alterRefused(context, resource.get());
            if (refused.isPresent()) {
                results.fail(resource.get(), refused.get());
                continue;
            }
            Map<String, String> configs = new HashMap<>();
            for (AlterConfigsRequest.AlterableConfig config : requested.configs()) {
                if (config.value() == null) {
                    results.fail(resource.get(), ApiError.of(Errors.INVALID_REQUEST,
                            "Null value not supported for : " + config.name()));
                    break;
                }
                configs.put(config.name(), config.value());
            }
            if (!results.isFailed(resource.get()) && resource.get().type() == ConfigResourceType.BROKER) {
                brokerCheck.check(resource.get(), configs).ifPresent(error -> results.fail(resource.get(), error));
            }
            if (!results.isFailed(resource.get())) {
                changes.put(resource.get(), configs);
            }
        }
        changes.keySet().removeIf(results::isFailed);
        return controller.alterConfigs(changes, request.validateOnly())
                .handle((outcomes, failure) -> {
                    List<AlterConfigsResourceResponse> responses = new ArrayList<>();
                    results.complete(changes.keySet(), outcomes, failure).forEach(outcome ->
                            responses.add(new AlterConfigsResourceResponse()
                                    .setResourceType(outcome.typeCode())
                                    .setResourceName(outcome.name())
                                    .setErrorCode(outcome.error().error().code())
                                    .setErrorMessage(ControllerErrors.wireMessage(outcome.error()))));
                    return new AlterConfigsResponse().setResponses(responses);
                });
    }
}
