package io.gregor.broker.api.admin;

import io.gregor.broker.api.ApiHandler;
import io.gregor.broker.api.RequestContext;
import io.gregor.metadata.control.ApiError;
import io.gregor.metadata.control.ConfigOperation;
import io.gregor.metadata.control.QuorumController;
import io.gregor.metadata.record.ConfigResource;
import io.gregor.metadata.record.ConfigResourceType;
import io.gregor.protocol.error.Errors;
import io.gregor.protocol.message.ApiKey;
import io.gregor.protocol.message.IncrementalAlterConfigsRequest;
import io.gregor.protocol.message.IncrementalAlterConfigsResponse;
import io.gregor.protocol.message.IncrementalAlterConfigsResponse.AlterConfigsResourceResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** IncrementalAlterConfigs, versions 0-1: SET, DELETE, and APPEND/SUBTRACT on list configs. */
public final class IncrementalAlterConfigsHandler
        implements ApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> {
    private final QuorumController controller;
    private final BrokerConfigCheck brokerCheck;

    /** @param brokerCheck what this broker checks of a change of its own dynamic configs before it is committed */
    public IncrementalAlterConfigsHandler(QuorumController controller, BrokerConfigCheck brokerCheck) {
        this.controller = controller;
        this.brokerCheck = brokerCheck;
    }

    @Override
    public short apiKey() {
        return ApiKey.INCREMENTAL_ALTER_CONFIGS.id();
    }

    @Override
    public short minVersion() {
        return 0;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponse> handle(RequestContext context,
                                                                     IncrementalAlterConfigsRequest request) {
        ConfigRequestResults results = new ConfigRequestResults();
        Map<ConfigResource, List<ConfigOperation>> changes = new LinkedHashMap<>();
        for (IncrementalAlterConfigsRequest.AlterConfigsResource requested : request.resources()) {
            Optional<ConfigResource> resource = results.admit(requested.resourceType(), requested.resourceName());
            if (resource.isEmpty()) {
                continue;
            }
            Optional<ApiError> refused = ConfigResources.alterRefused(context, resource.get());
            if (refused.isPresent()) {
                results.fail(resource.get(), refused.get());
                continue;
            }
            List<ConfigOperation> operations = new ArrayList<>();
            for (IncrementalAlterConfigsRequest.AlterableConfig config : requested.configs()) {
                Optional<ConfigOperation.Type> type = ConfigOperation.Type.forCode(config.configOperation());
                if (type.isEmpty()) {
                    results.fail(resource.get(), ApiError.of(Errors.INVALID_REQUEST,
                            "Unknown config operation " + config.configOperation() + " for " + config.name()));
                    break;
                }
                operations.add(new ConfigOperation(config.name(), type.get(), Optional.ofNullable(config.value())));
            }
            if (resource.get().type() == ConfigResourceType.BROKER && !results.isFailed(resource.get())) {
                brokerCheck.check(resource.get(), afterSetsAndDeletes(resource.get(), operations))
                        .ifPresent(error -> results.fail(resource.get(), error));
            }
            changes.put(resource.get(), operations);
        }
        changes.keySet().removeIf(results::isFailed);
        return controller.incrementalAlterConfigs(changes, request.validateOnly())
                .handle((outcomes, failure) -> {
                    List<AlterConfigsResourceResponse> responses = new ArrayList<>();
                    results.complete(changes.keySet(), outcomes, failure).forEach(outcome ->
                            responses.add(new AlterConfigsResourceResponse()
                                    .setResourceType(outcome.typeCode())
                                    .setResourceName(outcome.name())
                                    .setErrorCode(outcome.error().error().code())
                                    .setErrorMessage(ControllerErrors.wireMessage(outcome.error()))));
                    return new IncrementalAlterConfigsResponse().setResponses(responses);
                });
    }

    private Map<String, String> afterSetsAndDeletes(ConfigResource resource, List<ConfigOperation> operations) {
        return afterSetsAndDeletes(controller.image().configs(resource), operations);
    }

    /**
     * A broker resource's configs after the SET and DELETE operations; APPEND and SUBTRACT apply
     * to list configs, none of which a broker has to check, and the controller validates them.
     */
    static Map<String, String> afterSetsAndDeletes(Map<String, String> current, List<ConfigOperation> operations) {
        Map<String, String> configs = new HashMap<>(current);
        for (ConfigOperation operation : operations) {
            switch (operation.type()) {
                case SET -> operation.value().ifPresent(value -> configs.put(operation.key(), value));
                case DELETE -> configs.remove(operation.key());
                default -> {
                }
            }
        }
        return configs;
    }
}
